package ai.dedaluslabs.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

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
	 * One figure of the pool's state now, summed over every remote address.
	 * @param figure the figure, such as {@code ConnectionPoolMetrics::acquiredSize}
	 * @return the sum
	 */
	public int sum(ToIntFunction<ConnectionPoolMetrics> figure) {
		int sum = 0;
		for (ConnectionPoolMetrics metrics : this.pools.values()) {
			sum += figure.applyAsInt(metrics);
		}
		return sum;
	}

}
