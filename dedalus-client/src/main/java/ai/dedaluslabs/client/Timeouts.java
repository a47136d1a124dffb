package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The client's time limits. Each one that fires raises an
 * {@link ai.dedaluslabs.client.error.ApiTimeoutException} naming it.
 *
 * @param connect the longest a TCP/TLS connect may take
 * @param response the longest to wait for response headers once the request is sent
 * @param idle the longest silence between two pieces of a response body; reset by every byte, so
 * a model may think for a long time while a dead connection is still detected
 * @param total the longest the whole operation may take, or {@code null} for no limit
 * @since 0.1.0
 */
public record Timeouts(Duration connect, Duration response, Duration idle, @Nullable Duration total) {

	/** 10 s connect, 60 s response, 120 s idle, no total limit. */
	public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
			Duration.ofSeconds(120), null);

	/**
	 * Validates the limits.
	 */
	public Timeouts {
		positive("connect", connect);
		positive("response", response);
		positive("idle", idle);
		if (total != null) {
			positive("total", total);
		}
	}

	private static void positive(String name, Duration value) {
		Objects.requireNonNull(value, () -> "timeout." + name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("dedalus.timeout." + name + " must be positive, but was "
					+ ai.dedaluslabs.client.internal.format.Durations.format(value));
		}
	}

	/**
	 * A copy with another connect limit.
	 * @param connect the limit
	 * @return the copy
	 */
	public Timeouts withConnect(Duration connect) {
		return new Timeouts(connect, this.response, this.idle, this.total);
	}

	/**
	 * A copy with another response-headers limit.
	 * @param response the limit
	 * @return the copy
	 */
	public Timeouts withResponse(Duration response) {
		return new Timeouts(this.connect, response, this.idle, this.total);
	}

	/**
	 * A copy with another idle limit.
	 * @param idle the limit
	 * @return the copy
	 */
	public Timeouts withIdle(Duration idle) {
		return new Timeouts(this.connect, this.response, idle, this.total);
	}

	/**
	 * A copy with another total limit.
	 * @param total the limit, or {@code null} for none
	 * @return the copy
	 */
	public Timeouts withTotal(@Nullable Duration total) {
		return new Timeouts(this.connect, this.response, this.idle, total);
	}

}
