package io.beacon.sample.payment;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = "beacon.client.enabled=false")
@AutoConfigureMockMvc
class PaymentServiceTests {

	@Autowired
	MockMvc mvc;

	@Test
	void paymentIsTakenAndCanBeReadBack() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON)
				.content("{\"orderId\":\"o-1\",\"amount\":12.5}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/payments/")))
			.andExpect(jsonPath("$.orderId").value("o-1"))
			.andExpect(jsonPath("$.amount").value(12.50))
			.andExpect(jsonPath("$.status").value("PAID"))
			.andExpect(jsonPath("$.servedBy").isNotEmpty())
			.andReturn();
		String location = result.getResponse().getHeader("Location");
		this.mvc.perform(get(location)).andExpect(status().isOk()).andExpect(jsonPath("$.orderId").value("o-1"));
	}

	@Test
	void theDemoIndicatorSetsTheReadinessGroupDownAndUpAgain() throws Exception {
		this.mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
		this.mvc
			.perform(post("/actuator/demohealth").contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"DOWN\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("DOWN"));
		this.mvc.perform(get("/actuator/health/readiness"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.status").value("DOWN"));
		this.mvc
			.perform(post("/actuator/demohealth").contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"UP\"}"))
			.andExpect(status().isOk());
		this.mvc.perform(get("/actuator/health/readiness")).andExpect(jsonPath("$.status").value("UP"));
	}

	@Test
	void theDemoIndicatorRefusesAnUnknownStatus() throws Exception {
		this.mvc
			.perform(post("/actuator/demohealth").contentType(MediaType.APPLICATION_JSON)
				.content("{\"status\":\"SICK\"}"))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/actuator/demohealth")).andExpect(jsonPath("$.status").value("UP"));
	}

	@Test
	void theSameIdempotencyKeyPaysOnlyOnce() throws Exception {
		String first = pay("key-1");
		String second = pay("key-1");
		String other = pay("key-2");
		assertThat(second).isEqualTo(first);
		assertThat(other).isNotEqualTo(first);
	}

	@Test
	void badInputIsAProblemNamingEachField() throws Exception {
		this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON)
				.content("{\"orderId\":\"bad id!\",\"amount\":-3}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[?(@.field=='orderId')]").exists())
			.andExpect(jsonPath("$.errors[?(@.field=='amount')]").exists());
		this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON)
				.content("{\"orderId\":\"o\",\"amount\":1,\"tip\":5}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("tip: is not a known field"));
		this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON).content("{\"orderId\":"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Malformed JSON")));
		this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "has spaces")
				.content("{\"orderId\":\"o\",\"amount\":1}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.title").value("Invalid Idempotency-Key"));
		this.mvc.perform(post("/payments").contentType(MediaType.TEXT_PLAIN).content("pay me"))
			.andExpect(status().isUnsupportedMediaType());
	}

	@Test
	void unknownPaymentIsA404Problem() throws Exception {
		this.mvc.perform(get("/payments/nope"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Payment not found"));
	}

	private String pay(String key) throws Exception {
		return this.mvc
			.perform(post("/payments").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", key)
				.content("{\"orderId\":\"o-2\",\"amount\":3}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

}
