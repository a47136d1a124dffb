package ai.dedaluslabs.spring.proxy.redis;

import java.time.Duration;

import ai.dedaluslabs.spring.RedisTestServer;
import ai.dedaluslabs.spring.proxy.ProxyStore;
import ai.dedaluslabs.spring.proxy.ProxyStoreContractAccess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store against a real Redis server: the same contract as the in-memory one, plus what
 * only a shared store has to do (leases that expire, windows on Redis's clock).
 */
class RedisProxyStoreTests extends ProxyStoreContractAccess {

	private static LettuceConnectionFactory connection;

	@BeforeAll
	static void connect() {
		connection = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", RedisTestServer.port()));
		connection.afterPropertiesSet();
		connection.start();
	}

	@AfterAll
	static void disconnect() {
		if (connection != null) {
			connection.destroy();
		}
	}

	@Override
	protected ProxyStore store() {
		return new RedisProxyStore(connection, RedisTestServer.freshPrefix());
	}

	@Test
	void aPlaceThatIsNotRenewedExpiresByItself() {
		ProxyStore store = store();
		Duration ttl = Duration.ofMillis(500);
		assertThat(store.acquire("crashed", "held", 1, ttl).block()).isTrue();
		assertThat(store.acquire("crashed", "next", 1, ttl).block()).as("the place is held").isFalse();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> store.acquire("crashed", "next", 1, ttl).block());
	}

	@Test
	void aRenewedPlaceOutlivesItsFirstTtl() {
		ProxyStore store = store();
		Duration ttl = Duration.ofMillis(400);
		assertThat(store.acquire("alive", "held", 1, ttl).block()).isTrue();
		store.renew("alive", "held", Duration.ofHours(1)).block();
		// A place taken with the same TTL at the same time shows when that TTL has passed.
		assertThat(store.acquire("probe", "held", 1, ttl).block()).isTrue();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> store.acquire("probe", "next", 1, ttl).block());
		assertThat(store.acquire("alive", "next", 1, ttl).block()).as("the renewed place is still held").isFalse();
	}

	@Test
	void aBudgetIsWholeAgainWhenItsWindowEnds() {
		ProxyStore store = store();
		Duration window = Duration.ofSeconds(1);
		store.reserve("ada", 100, 100, window).block();
		assertThat(store.reserve("ada", 1, 100, window).block().admitted()).isFalse();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> store.reserve("ada", 1, 100, window).block().admitted());
	}

}
