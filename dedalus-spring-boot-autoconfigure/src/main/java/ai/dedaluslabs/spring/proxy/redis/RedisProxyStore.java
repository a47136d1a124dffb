package ai.dedaluslabs.spring.proxy.redis;

import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.spring.proxy.ProxyStore;
import ai.dedaluslabs.spring.proxy.TokenReservation;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The endpoint's state in Redis, so that every instance behind a load balancer enforces one limit
 * per caller rather than one each.
 *
 * <p>
 * Every decision is one Lua script, run atomically by Redis on Redis's own clock, so instances
 * whose clocks disagree still agree on leases and windows:
 * <ul>
 * <li>a caller's open requests are a sorted set of lease ids scored by expiry; a place is taken
 * only while fewer than the limit are unexpired, and a crashed instance's leases expire by
 * themselves after their TTL;</li>
 * <li>a caller's budget is a hash from window number to tokens spent and reserved; a reservation
 * is admitted while that sum is below the limit, and settling replaces it by what the request
 * cost, in the window it was made in. Fields of past windows are dropped as new ones start, and the
 * hash expires after two idle windows.</li>
 * </ul>
 * Keys are {@code <prefix>:{<caller>}:leases} and {@code <prefix>:{<caller>}:budget}; the braces
 * keep a caller's keys in one Redis Cluster slot.
 *
 * @since 0.1.0
 */
public final class RedisProxyStore implements ProxyStore {

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	private static final RedisScript<Long> ACQUIRE = RedisScript.of(NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
			  return 0
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
			redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
			return 1
			""", Long.class);

	private static final RedisScript<Long> RENEW = RedisScript.of(NOW + """
			local changed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
			if changed == 1 then
			  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
			end
			return changed
			""", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RESERVE = RedisScript.of(NOW + """
			local tokens = tonumber(ARGV[1])
			local limit = tonumber(ARGV[2])
			local length = tonumber(ARGV[3])
			local window = math.floor(now / length)
			local field = tostring(window)
			local used = tonumber(redis.call('HGET', KEYS[1], field) or '0')
			if used >= limit then
			  return {0, window, (window + 1) * length - now}
			end
			redis.call('HINCRBY', KEYS[1], field, tokens)
			for _, old in ipairs(redis.call('HKEYS', KEYS[1])) do
			  if tonumber(old) < window - 1 then
			    redis.call('HDEL', KEYS[1], old)
			  end
			end
			redis.call('PEXPIRE', KEYS[1], 2 * length)
			return {1, window, 0}
			""", List.class);

	private static final RedisScript<Long> SETTLE = RedisScript.of("""
			if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
			  return 0
			end
			if redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2])) < 0 then
			  redis.call('HSET', KEYS[1], ARGV[1], 0)
			end
			return 1
			""", Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	/**
	 * Create a store on the application's Redis connection.
	 * @param connectionFactory the connection, as Spring Boot configures it from
	 * {@code spring.data.redis.*}
	 * @param keyPrefix the prefix of every key written
	 */
	public RedisProxyStore(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.prefix = keyPrefix;
	}

	@Override
	public Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl) {
		return this.redis
			.execute(ACQUIRE, List.of(leases(caller)),
					List.of(leaseId, Integer.toString(limit), Long.toString(ttl.toMillis())))
			.next()
			.map((taken) -> taken == 1L);
	}

	@Override
	public Mono<Void> renew(String caller, String leaseId, Duration ttl) {
		return this.redis
			.execute(RENEW, List.of(leases(caller)), List.of(leaseId, Long.toString(ttl.toMillis())))
			.then();
	}

	@Override
	public Mono<Void> release(String caller, String leaseId) {
		return this.redis.opsForZSet().remove(leases(caller), leaseId).then();
	}

	@Override
	public boolean leasesExpire() {
		return true;
	}

	@Override
	public Mono<TokenReservation> reserve(String caller, long tokens, long limit, Duration window) {
		return this.redis
			.execute(RESERVE, List.of(budget(caller)),
					List.of(Long.toString(tokens), Long.toString(limit), Long.toString(window.toMillis())))
			.next()
			.map((answer) -> {
				long admitted = number(answer.get(0));
				long number = number(answer.get(1));
				return (admitted == 1L) ? TokenReservation.admitted(number, tokens)
						: TokenReservation.refused(number, Duration.ofMillis(number(answer.get(2))));
			});
	}

	@Override
	public Mono<Void> settle(String caller, TokenReservation reservation, long spent, Duration window) {
		return this.redis
			.execute(SETTLE, List.of(budget(caller)),
					List.of(Long.toString(reservation.window()), Long.toString(spent - reservation.tokens())))
			.then();
	}

	private String leases(String caller) {
		return this.prefix + ":{" + caller + "}:leases";
	}

	private String budget(String caller) {
		return this.prefix + ":{" + caller + "}:budget";
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(String.valueOf(value));
	}

}
