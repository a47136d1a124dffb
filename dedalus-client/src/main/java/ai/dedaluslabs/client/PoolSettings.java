package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection pool of a client that owns its connector. A stream holds its connection for as
 * long as the model writes, often minutes, so the defaults are sized for thousands of concurrent
 * streams rather than for short requests.
 *
 * @param maxConnections the most connections open at once
 * @param maxPendingAcquires the most requests waiting for a connection; one more fails with an
 * {@link ai.dedaluslabs.client.error.ApiConnectionException} naming {@code dedalus.pool.*}
 * @param maxIdleTime how long an unused connection is kept
 * @since 0.1.0
 */
public record PoolSettings(int maxConnections, int maxPendingAcquires, Duration maxIdleTime) {

	/** 4,096 connections, 8,192 waiting requests, 30 s idle. */
	public static final PoolSettings DEFAULTS = new PoolSettings(4096, 8192, Duration.ofSeconds(30));

	/**
	 * Validates the settings.
	 */
	public PoolSettings {
		if (maxConnections < 1) {
			throw new IllegalArgumentException("dedalus.pool.max-connections must be at least 1, but was " + maxConnections);
		}
		if (maxPendingAcquires < 0) {
			throw new IllegalArgumentException(
					"dedalus.pool.max-pending-acquires must not be negative, but was " + maxPendingAcquires);
		}
		Objects.requireNonNull(maxIdleTime, "maxIdleTime");
		if (maxIdleTime.isNegative() || maxIdleTime.isZero()) {
			throw new IllegalArgumentException("dedalus.pool.max-idle-time must be positive, but was "
					+ ai.dedaluslabs.client.internal.format.Durations.format(maxIdleTime));
		}
	}

}
