package io.beacon.sample.order;

import java.math.BigDecimal;
import java.util.concurrent.TimeoutException;

import io.beacon.client.web.NoInstanceAvailableException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The order service's own behaviour, payment-service stubbed. Calls through the real load balancer
 * are covered by the starter's tests and the fault suite.
 */
@SpringBootTest(properties = { "beacon.client.registration.enabled=false",
		"beacon.client.registry-url=http://127.0.0.1:9" })
@AutoConfigureMockMvc
class OrderServiceTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	PaymentClient payments;

	@Test
	void orderIsPaidAndSaysWhichPaymentInstanceServedIt() throws Exception {
		given(this.payments.pay(anyString(), any(BigDecimal.class)))
			.willReturn(Mono.just(new Order.PaymentResult("p-1", "PAID", "127.0.0.1:8082")));
		MvcResult result = placeOrder("{\"item\":\"book\",\"amount\":12.5}");
		this.mvc.perform(asyncDispatch(result))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.status").value("PAID"))
			.andExpect(jsonPath("$.item").value("book"))
			.andExpect(jsonPath("$.payment.servedBy").value("127.0.0.1:8082"));
		String location = this.mvc.perform(asyncDispatch(result)).andReturn().getResponse().getHeader("Location");
		this.mvc.perform(get(location)).andExpect(status().isOk()).andExpect(jsonPath("$.payment.paymentId").value("p-1"));
	}

	@Test
	void noPaymentInstanceIsAClear503Problem() throws Exception {
		given(this.payments.pay(anyString(), any(BigDecimal.class))).willReturn(
				Mono.error(new NoInstanceAvailableException("payment-service", "the registry lists no UP instance")));
		this.mvc.perform(asyncDispatch(placeOrder("{\"item\":\"book\",\"amount\":1}")))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Payment service unavailable"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'payment-service'")));
	}

	@Test
	void slowPaymentIsA504Problem() throws Exception {
		given(this.payments.pay(anyString(), any(BigDecimal.class))).willReturn(Mono.error(new TimeoutException()));
		this.mvc.perform(asyncDispatch(placeOrder("{\"item\":\"book\",\"amount\":1}")))
			.andExpect(status().isGatewayTimeout());
	}

	@Test
	void badOrdersAreProblemsNamingTheFields() throws Exception {
		this.mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"\",\"amount\":0}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("item:")))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("amount:")));
		this.mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"item\":\"x\",\"amount\":\"lots\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("amount: has the wrong type"));
		this.mvc.perform(get("/orders/missing")).andExpect(status().isNotFound());
	}

	private MvcResult placeOrder(String json) throws Exception {
		return this.mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(json))
			.andExpect(request().asyncStarted())
			.andReturn();
	}

}
