package ai.dedaluslabs.spring.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory store, and its budget windows on a clock the test moves.
 */
class MemoryProxyStoreTests extends ProxyStoreContractTests {

	@Override
	protected ProxyStore store() {
		return new MemoryProxyStore();
	}

	@Test
	void aBudgetIsWholeAgainWhenItsWindowEnds() {
		MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:59:30Z"));
		MemoryProxyStore store = new MemoryProxyStore(clock);
		store.reserve("ada", 100, 100, HOUR).block();
		TokenReservation refused = store.reserve("ada", 1, 100, HOUR).block();
		assertThat(refused.admitted()).isFalse();
		assertThat(refused.retryAfter()).as("until the hour").isEqualTo(Duration.ofSeconds(30));
		clock.now = Instant.parse("2026-11-30T11:00:00Z");
		assertThat(store.reserve("ada", 1, 100, HOUR).block().admitted()).isTrue();
	}

	@Test
	void aReservationFromAWindowThatPassedDoesNotTouchTheNewOne() {
		MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:59:59Z"));
		MemoryProxyStore store = new MemoryProxyStore(clock);
		TokenReservation old = store.reserve("ada", 50, 100, HOUR).block();
		clock.now = Instant.parse("2026-11-30T11:00:01Z");
		TokenReservation fresh = store.reserve("ada", 99, 100, HOUR).block();
		store.settle("ada", old, 0, HOUR).block();
		assertThat(fresh.admitted()).isTrue();
		assertThat(store.reserve("ada", 1, 100, HOUR).block().admitted()).as("99 still reserved").isTrue();
		assertThat(store.reserve("ada", 1, 100, HOUR).block().admitted()).as("100 now").isFalse();
	}

	static final class MovableClock extends Clock {

		volatile Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
