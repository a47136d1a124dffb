package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ProxyStore} must do, run against each store by the subclasses. The
 * concurrency tests release every contender at once from a latch, the way a burst of requests
 * reaches a store.
 */
@Timeout(60)
abstract class ProxyStoreContractTests {

	static final Duration TTL = Duration.ofSeconds(30);

	static final Duration HOUR = Duration.ofHours(1);

	protected abstract ProxyStore store();

	@Test
	void placesAreLimitedPerCallerAndComeBackWhenReleased() {
		ProxyStore store = store();
		assertThat(store.acquire("ada", "1", 2, TTL).block()).isTrue();
		assertThat(store.acquire("ada", "2", 2, TTL).block()).isTrue();
		assertThat(store.acquire("ada", "3", 2, TTL).block()).as("a third place").isFalse();
		assertThat(store.acquire("bob", "4", 2, TTL).block()).as("another caller's first").isTrue();
		store.release("ada", "1").block();
		assertThat(store.acquire("ada", "5", 2, TTL).block()).isTrue();
	}

	@Test
	void aBurstOfRequestsNeverTakesMorePlacesThanTheLimit() throws Exception {
		ProxyStore store = store();
		List<Boolean> taken = burst(64, (i) -> store.acquire("burst", "lease-" + i, 5, TTL).block());
		assertThat(taken.stream().filter(Boolean::booleanValue).count()).isEqualTo(5);
	}

	@Test
	void aBudgetAdmitsWhileSpentAndReservedAreBelowTheLimit() {
		ProxyStore store = store();
		TokenReservation first = store.reserve("ada", 60, 100, HOUR).block();
		TokenReservation second = store.reserve("ada", 60, 100, HOUR).block();
		TokenReservation third = store.reserve("ada", 60, 100, HOUR).block();
		assertThat(first.admitted()).isTrue();
		assertThat(second.admitted()).as("60 of 100 used: still below").isTrue();
		assertThat(third.admitted()).as("120 of 100 used").isFalse();
		assertThat(third.retryAfter()).isPositive().isLessThanOrEqualTo(HOUR);
		assertThat(store.reserve("bob", 60, 100, HOUR).block().admitted()).as("another caller").isTrue();
	}

	@Test
	void settlingReplacesTheReservationByWhatTheRequestCost() {
		ProxyStore store = store();
		TokenReservation big = store.reserve("ada", 1000, 100, HOUR).block();
		assertThat(store.reserve("ada", 10, 100, HOUR).block().admitted()).as("1000 reserved").isFalse();
		store.settle("ada", big, 30, HOUR).block();
		TokenReservation after = store.reserve("ada", 50, 100, HOUR).block();
		assertThat(after.admitted()).as("30 spent").isTrue();
		store.settle("ada", after, 70, HOUR).block();
		assertThat(store.reserve("ada", 1, 100, HOUR).block().admitted()).as("30 + 70 spent").isFalse();
	}

	@Test
	void concurrentReservationsOvershootByAtMostWhatTheyReserved() throws Exception {
		ProxyStore store = store();
		List<TokenReservation> decisions = burst(64, (i) -> store.reserve("burst", 30, 100, HOUR).block());
		// Admitted while below 100: at 0, 30, 60 and 90 tokens, whatever the order.
		assertThat(decisions.stream().filter(TokenReservation::admitted).count()).isEqualTo(4);
	}

	private static <T> List<T> burst(int contenders, Attempt<T> attempt) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < contenders; i++) {
				int index = i;
				futures.add(pool.submit((Callable<T>) () -> {
					start.await();
					return attempt.run(index);
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@FunctionalInterface
	interface Attempt<T> {

		T run(int index) throws Exception;

	}

}
