package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.spring.web.RequestRefusedException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallerGate}'s time limit on the store: a store that does not answer within
 * {@code dedalus.proxy.store-timeout} refuses the request with 503 instead of holding it, and the
 * operation it was waiting for is cancelled.
 */
class CallerGateTests {

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

	private final ProxySettings settings = new ProxySettings(List.of(), 4096, 1, List.of(), List.of(), 4, 1024,
			null, Duration.ofSeconds(10), Duration.ofSeconds(30), STORE_TIMEOUT);

	@Test
	void aStoreThatDoesNotAnswerRefusesTheRequestWith503() {
		AtomicBoolean acquireCancelled = new AtomicBoolean();
		ProxyStore silent = new DelegatingStore(new MemoryProxyStore()) {
			@Override
			public Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl) {
				return Mono.<Boolean>never().doOnCancel(() -> acquireCancelled.set(true));
			}
		};
		CallerGate gate = new CallerGate(silent, this.settings, ProxyTokenMeter.NONE);
		StepVerifier.withVirtualTime(() -> gate.admit("address:127.0.0.1", 10))
			.expectSubscription()
			.expectNoEvent(STORE_TIMEOUT.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.verifyErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(RequestRefusedException.class);
				RequestRefusedException refused = (RequestRefusedException) error;
				assertThat(refused.body().status()).isEqualTo(503);
				assertThat(refused.body().code()).isEqualTo("store_unavailable");
			});
		assertThat(acquireCancelled).isTrue();
	}

	@Test
	void theMemoryStoreAdmitsAndReleasesWithinTheCall() {
		AtomicInteger released = new AtomicInteger();
		ProxyStore counting = new DelegatingStore(new MemoryProxyStore()) {
			@Override
			public Mono<Void> release(String caller, String leaseId) {
				return super.release(caller, leaseId).doOnSuccess((done) -> released.incrementAndGet());
			}
		};
		CallerGate gate = new CallerGate(counting, this.settings.withMaxConcurrentRequests(1),
				ProxyTokenMeter.NONE);
		CallerGate.Admission admission = gate.admit("address:127.0.0.1", 10).block(Duration.ofSeconds(5));
		assertThat(admission).isNotNull();
		StepVerifier.create(gate.admit("address:127.0.0.1", 10))
			.verifyErrorSatisfies((error) -> assertThat(((RequestRefusedException) error).body().status())
				.isEqualTo(429));
		admission.end("completed", new TokenTally(40));
		assertThat(released).hasValue(1);
		CallerGate.Admission again = gate.admit("address:127.0.0.1", 10).block(Duration.ofSeconds(5));
		assertThat(again).isNotNull();
	}

	@Test
	void everyRequestOfEveryGateHasItsOwnLeaseId() {
		List<String> leaseIds = new CopyOnWriteArrayList<>();
		ProxyStore recording = new DelegatingStore(new MemoryProxyStore()) {
			@Override
			public Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl) {
				leaseIds.add(leaseId);
				return super.acquire(caller, leaseId, limit, ttl);
			}
		};
		// Two gates stand for two instances sharing one store.
		for (CallerGate gate : List.of(new CallerGate(recording, this.settings, ProxyTokenMeter.NONE),
				new CallerGate(recording, this.settings, ProxyTokenMeter.NONE))) {
			for (int i = 0; i < 3; i++) {
				gate.admit("address:127.0.0.1", 10).block(Duration.ofSeconds(5)).end("completed", new TokenTally(4));
			}
		}
		assertThat(leaseIds).hasSize(6).doesNotHaveDuplicates();
	}

	/** A store that passes everything to another. */
	private static class DelegatingStore implements ProxyStore {

		private final ProxyStore delegate;

		DelegatingStore(ProxyStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl) {
			return this.delegate.acquire(caller, leaseId, limit, ttl);
		}

		@Override
		public Mono<Void> renew(String caller, String leaseId, Duration ttl) {
			return this.delegate.renew(caller, leaseId, ttl);
		}

		@Override
		public Mono<Void> release(String caller, String leaseId) {
			return this.delegate.release(caller, leaseId);
		}

		@Override
		public boolean leasesExpire() {
			return this.delegate.leasesExpire();
		}

		@Override
		public Mono<TokenReservation> reserve(String caller, long tokens, long limit, Duration window) {
			return this.delegate.reserve(caller, tokens, limit, window);
		}

		@Override
		public Mono<Void> settle(String caller, TokenReservation reservation, long spent, Duration window) {
			return this.delegate.settle(caller, reservation, spent, window);
		}

	}

}
