package io.beacon.registry.http;

import java.util.List;

import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Violation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Problems problems = new Problems(this.jsonMapper);

	@Test
	void rejectedClientTextIsQuotedWithControlCharactersEscaped() {
		ApiReply.Full reply = this.problems.reply(new InvalidInputException(
				List.of(new Violation("host", "must be a DNS name", "evil\r\nInjected: yes"))), "/v1/x?q=1");
		JsonNode body = this.jsonMapper.readTree(reply.body());
		assertThat(reply.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(reply.contentType()).isEqualTo("application/problem+json");
		assertThat(body.get("detail").stringValue())
			.isEqualTo("host: must be a DNS name (got 'evil\\u000d\\u000aInjected: yes')");
		assertThat(body.get("errors").get(0).get("message").stringValue())
			.isEqualTo("must be a DNS name (got 'evil\\u000d\\u000aInjected: yes')");
		assertThat(body.get("instance").stringValue()).isEqualTo("/v1/x");
	}

	@Test
	void theWebFluxSideGetsTheSameShapeOfProblem() {
		ApiReply.Full reply = this.problems.reply(new ResponseStatusException(HttpStatus.NOT_FOUND), "/nope");
		JsonNode body = this.jsonMapper.readTree(reply.body());
		assertThat(body.get("type").stringValue()).isEqualTo("urn:beacon:problem:not-found");
		assertThat(body.get("status").intValue()).isEqualTo(404);
		assertThat(body.get("instance").stringValue()).isEqualTo("/nope");
	}

}
