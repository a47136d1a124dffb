package ai.dedaluslabs.client.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiStatusException;
import org.jspecify.annotations.Nullable;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * Which failures are retried and how long to wait, as the official Dedalus SDKs do: connection
 * failures and HTTP 408, 409, 429 and 5xx, unless {@code x-should-retry} says otherwise; the
 * server's {@code retry-after-ms} or {@code retry-after} (seconds or an HTTP date) when it is
 * between 0 and 60 s, waited exactly; otherwise {@code min(0.5 s * 2^n, 8 s)} times a jitter in
 * [0.75, 1]. Nothing is retried once a 2xx response has started.
 */
public final class RetryPolicy {

	private static final Duration INITIAL = Duration.ofMillis(500);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

	private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

	private final DoubleSupplier jitter;

	private final Supplier<ZonedDateTime> clock;

	/**
	 * Create a policy.
	 * @param jitter a source of numbers in [0, 1)
	 * @param clock the current time, for {@code retry-after} dates
	 */
	public RetryPolicy(DoubleSupplier jitter, Supplier<ZonedDateTime> clock) {
		this.jitter = jitter;
		this.clock = clock;
	}

	/**
	 * Whether a failure before a 2xx response may be retried.
	 * @param failure the failure
	 * @return whether to retry it
	 */
	public boolean isRetryable(Throwable failure) {
		if (failure instanceof ApiStatusException status) {
			String shouldRetry = header(status, "x-should-retry");
			if ("true".equalsIgnoreCase(shouldRetry)) {
				return true;
			}
			if ("false".equalsIgnoreCase(shouldRetry)) {
				return false;
			}
			int code = status.statusCode();
			return code == 408 || code == 409 || code == 429 || code >= 500;
		}
		if (failure instanceof ApiConnectionException) {
			// An exhausted pool is a local limit: another attempt would only queue again.
			for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof PoolAcquirePendingLimitException || cause instanceof PoolAcquireTimeoutException) {
					return false;
				}
			}
			return true;
		}
		return false;
	}

	/**
	 * How long to wait before a retry.
	 * @param retry the number of retries made so far (0 before the first retry)
	 * @param failure the failure being retried
	 * @return the wait
	 */
	public Duration delay(int retry, Throwable failure) {
		if (failure instanceof ApiStatusException status) {
			Duration asked = retryAfter(status);
			if (asked != null) {
				return asked;
			}
		}
		long base = Math.min(INITIAL.toMillis() * (1L << Math.min(retry, 20)), MAX_BACKOFF.toMillis());
		double factor = 1 - 0.25 * this.jitter.getAsDouble();
		return Duration.ofMillis(Math.round(base * factor));
	}

	private @Nullable Duration retryAfter(ApiStatusException status) {
		Duration asked = null;
		String millis = header(status, "retry-after-ms");
		if (millis != null) {
			asked = parseMillis(millis);
		}
		String after = header(status, "retry-after");
		if (asked == null && after != null) {
			asked = parseRetryAfter(after);
		}
		if (asked == null || asked.isNegative() || asked.compareTo(MAX_RETRY_AFTER) > 0) {
			return null;
		}
		return asked;
	}

	private static @Nullable Duration parseMillis(String value) {
		try {
			return Duration.ofNanos(Math.round(Double.parseDouble(value.strip()) * 1_000_000));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private @Nullable Duration parseRetryAfter(String value) {
		String text = value.strip();
		try {
			return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1_000_000_000));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
				return Duration.between(this.clock.get(), when);
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static @Nullable String header(ApiStatusException status, String name) {
		List<String> values = status.headers().get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}
