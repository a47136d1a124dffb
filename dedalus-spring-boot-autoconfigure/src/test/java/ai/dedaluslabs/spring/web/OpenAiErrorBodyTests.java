package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.Map;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OpenAiErrorBody}: the one table from a failure to a status and an OpenAI error
 * body, shared by the forwarders and the front-end endpoint.
 */
class OpenAiErrorBodyTests {

	@Test
	void statusErrorKeepsTheApisStatusAndFields() {
		ApiStatusException error = ApiStatusException.create(400, "req_1", "{}",
				new ApiError("Bad model", "invalid_request_error", "model", "model_not_found"), Map.of());
		assertThat(OpenAiErrorBody.of(error))
			.isEqualTo(new OpenAiErrorBody(400, "Bad model", "invalid_request_error", "model", "model_not_found"));
	}

	@Test
	void statusErrorWithoutDetailsSaysTheStatus() {
		ApiStatusException error = ApiStatusException.create(503, null, "", ApiError.EMPTY, Map.of());
		assertThat(OpenAiErrorBody.of(error))
			.isEqualTo(new OpenAiErrorBody(503, "The model API answered with status 503", "api_error", null, null));
	}

	@Test
	void streamErrorIsABadGatewayWithTheApisType() {
		assertThat(OpenAiErrorBody.of(new StreamErrorException("server_error", "overloaded", "Try later")))
			.isEqualTo(new OpenAiErrorBody(502, "Try later", "server_error", null, "overloaded"));
	}

	@Test
	void timeoutsAreGatewayTimeouts() {
		assertThat(OpenAiErrorBody.of(new ApiTimeoutException("slow")).status()).isEqualTo(504);
		assertThat(OpenAiErrorBody.of(new ForwardingTimeoutException(Duration.ofSeconds(1))).type())
			.isEqualTo(OpenAiErrorBody.TIMEOUT);
	}

	@Test
	void connectionFailureUsesTheOpenAiVocabulary() {
		OpenAiErrorBody body = OpenAiErrorBody.of(new ApiConnectionException("reset"));
		assertThat(body.status()).isEqualTo(502);
		assertThat(body.type()).isEqualTo("api_connection_error");
		assertThat(body.message()).doesNotContain("reset");
	}

	@Test
	void malformedAnswerNamesNoDetail() {
		OpenAiErrorBody body = OpenAiErrorBody.of(new MalformedResponseException("'{\"id\":' at line 1"));
		assertThat(body).isEqualTo(
				new OpenAiErrorBody(502, "The model's answer could not be read", "api_error", null, "malformed_response"));
	}

	@Test
	void anythingElseIsAServerErrorThatSaysNothingInternal() {
		OpenAiErrorBody body = OpenAiErrorBody.of(new NullPointerException("ai.dedaluslabs.Internal state"));
		assertThat(body.status()).isEqualTo(500);
		assertThat(body.json()).isEqualTo(
				"{\"error\":{\"message\":\"The request failed\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
	}

	@Test
	void aRefusalKeepsItsOwnStatusAndCode() {
		OpenAiErrorBody rule = new OpenAiErrorBody(429, "Too many", "rate_limit_error", null, "too_many_requests");
		assertThat(OpenAiErrorBody.of(new RequestRefusedException(rule))).isEqualTo(rule);
	}

}
