package ai.dedaluslabs.client;

/**
 * A snapshot of a client's own connection pool, summed over every API address it connects to.
 * All zero for a client built on a caller's connector.
 *
 * @param active connections in use by a request or stream
 * @param idle open connections waiting for reuse
 * @param pending requests waiting for a connection
 * @param allocated connections open in total (active plus idle)
 * @since 0.1.0
 */
public record ConnectionPoolStats(int active, int idle, int pending, int allocated) {

	/** An empty pool. */
	public static final ConnectionPoolStats EMPTY = new ConnectionPoolStats(0, 0, 0, 0);

}
