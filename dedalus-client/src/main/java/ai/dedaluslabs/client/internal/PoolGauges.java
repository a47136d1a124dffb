package ai.dedaluslabs.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.dedaluslabs.client.ConnectionPoolStats;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Keeps Reactor Netty's live pool metrics for each remote address, without Micrometer, so a
 * client can report how many connections it holds (and tests can check that none leak).
 */
public final class PoolGauges implements ConnectionProvider.MeterRegistrar {

	private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
		this.pools.put(id + "|" + remoteAddress, metrics);
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(id + "|" + remoteAddress);
	}

	/**
	 * The pool's state now.
	 * @return the sums over every remote address
	 */
	public ConnectionPoolStats snapshot() {
		int active = 0;
		int idle = 0;
		int pending = 0;
		int allocated = 0;
		for (ConnectionPoolMetrics metrics : this.pools.values()) {
			active += metrics.acquiredSize();
			idle += metrics.idleSize();
			pending += metrics.pendingAcquireSize();
			allocated += metrics.allocatedSize();
		}
		return new ConnectionPoolStats(active, idle, pending, allocated);
	}

}
