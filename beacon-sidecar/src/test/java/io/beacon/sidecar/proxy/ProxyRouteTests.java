package io.beacon.sidecar.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProxyRouteTests {

	@ParameterizedTest(name = "{0} with Host {1}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			/payment-service/payments?x=1   | 127.0.0.1:15001        | payment-service | /payments?x=1  | /payment-service
			/Payment-Service/a%2Fb          | localhost:15001        | payment-service | /a%2Fb         | /Payment-Service
			/payment-service                | 127.0.0.1              | payment-service | /              | /payment-service
			/payment-service?x=1            | -                      | payment-service | /?x=1          | /payment-service
			/payments/1                     | payment-service        | payment-service | /payments/1    | ''
			/payments/1                     | PAYMENT-SERVICE:15001  | payment-service | /payments/1    | ''
			/payment-service/payments       | [::1]:15001            | payment-service | /payments      | /payment-service
			/payment-service/payments       | proxy.example.org      | payment-service | /payments      | /payment-service
			http://payment-service/payments?x=1 | 127.0.0.1:15001    | payment-service | /payments?x=1  | ''
			http://payment-service          | payment-service        | payment-service | /              | ''
			""")
	void routeNamesServicePathAndPrefix(String target, String host, String service, String path, String prefix) {
		ProxyRoute route = ProxyRoute.of(target, host);
		assertThat(route.service()).isEqualTo(service);
		assertThat(route.path()).isEqualTo(path);
		assertThat(route.prefix()).isEqualTo(prefix);
	}

	@Test
	void requestWithoutServiceIsNotFound() {
		assertThatExceptionOfType(ProxyRoute.InvalidRouteException.class)
			.isThrownBy(() -> ProxyRoute.of("/", "127.0.0.1:15001"))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(404))
			.withMessageContaining("/<service>/<path>");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			/pay_service/x                 | 'pay_service' (the first path segment) is not a service name
			/-pay/x                        | '-pay' (the first path segment) is not a service name
			http://pay.service.beacon/x    | 'pay.service.beacon' (the request target's host) is not a service name
			/pay/a b                       | The request target is not a valid URI
			*                              | The request target must start with '/'
			""")
	void invalidRequestIsABadRequestSayingWhy(String target, String detail) {
		assertThatExceptionOfType(ProxyRoute.InvalidRouteException.class)
			.isThrownBy(() -> ProxyRoute.of(target, "127.0.0.1:15001"))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400))
			.withMessageContaining(detail);
	}

}
