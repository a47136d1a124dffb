package ai.dedaluslabs.client.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.junit.jupiter.api.Test;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryPolicy}: what is retried and how long it waits.
 */
class RetryPolicyTests {

	private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);

	private static RetryPolicy policy(double jitter) {
		return new RetryPolicy(() -> jitter, () -> NOW);
	}

	private static ApiStatusException status(int code, String... headers) {
		Map<String, List<String>> map = new java.util.HashMap<>();
		for (int i = 0; i < headers.length; i += 2) {
			map.put(headers[i], List.of(headers[i + 1]));
		}
		return ApiStatusException.create(code, null, "", ApiError.EMPTY, map);
	}

	@Test
	void retriesTheStatusesTheSdksRetry() {
		RetryPolicy policy = policy(0);
		for (int code : new int[] { 408, 409, 429, 500, 502, 503, 504, 529 }) {
			assertThat(policy.isRetryable(status(code))).as("status %d", code).isTrue();
		}
		for (int code : new int[] { 400, 401, 403, 404, 413, 422 }) {
			assertThat(policy.isRetryable(status(code))).as("status %d", code).isFalse();
		}
	}

	@Test
	void shouldRetryHeaderOverridesTheStatus() {
		assertThat(policy(0).isRetryable(status(503, "x-should-retry", "false"))).isFalse();
		assertThat(policy(0).isRetryable(status(400, "x-should-retry", "true"))).isTrue();
	}

	@Test
	void connectionFailuresAreRetriedButAnExhaustedPoolIsNot() {
		assertThat(policy(0).isRetryable(new ApiConnectionException("refused", new IOException("x")))).isTrue();
		assertThat(policy(0).isRetryable(new ApiTimeoutException("headers"))).isTrue();
		assertThat(policy(0).isRetryable(
				new ApiConnectionException("pool", new PoolAcquirePendingLimitException(8192)))).isFalse();
	}

	@Test
	void responseContentFailuresAreNotRetried() {
		assertThat(policy(0).isRetryable(new StreamErrorException("t", "c", "m"))).isFalse();
		assertThat(policy(0).isRetryable(new MalformedResponseException("bad"))).isFalse();
		assertThat(policy(0).isRetryable(new IllegalStateException("bug"))).isFalse();
	}

	@Test
	void backoffDoublesFromHalfASecondUpToEightSecondsWithJitter() {
		long[] full = { 500, 1000, 2000, 4000, 8000, 8000 };
		for (int retry = 0; retry < full.length; retry++) {
			assertThat(policy(0).delay(retry, new ApiTimeoutException("x"))).isEqualTo(Duration.ofMillis(full[retry]));
			assertThat(policy(0.999999).delay(retry, new ApiTimeoutException("x")))
				.isEqualTo(Duration.ofMillis(Math.round(full[retry] * (1 - 0.25 * 0.999999))));
		}
	}

	@Test
	void retryAfterMillisIsWaitedExactly() {
		assertThat(policy(0.5).delay(3, status(429, "retry-after-ms", "1500", "retry-after", "9")))
			.isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void retryAfterSecondsIsWaitedExactly() {
		assertThat(policy(0.5).delay(0, status(429, "retry-after", "2"))).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy(0.5).delay(0, status(429, "retry-after", "0"))).isEqualTo(Duration.ZERO);
	}

	@Test
	void retryAfterDateIsWaitedUntil() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7));
		assertThat(policy(0.5).delay(0, status(503, "retry-after", date))).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void retryAfterOutsideZeroToSixtySecondsFallsBackToBackoff() {
		assertThat(policy(0).delay(1, status(429, "retry-after", "120"))).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy(0).delay(1, status(429, "retry-after", "-3"))).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy(0).delay(1, status(429, "retry-after", "soon"))).isEqualTo(Duration.ofSeconds(1));
		String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(5));
		assertThat(policy(0).delay(1, status(429, "retry-after", past))).isEqualTo(Duration.ofSeconds(1));
	}

}
