package ai.dedaluslabs.spring.proxy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * The endpoint's state in this instance's memory, the default: nothing to set up, right for one
 * instance. With several instances behind a load balancer each counts on its own, so every limit
 * multiplies by the number of instances; use the Redis store there.
 *
 * <p>
 * Budget windows are fixed (numbered from the epoch). A caller's entry is dropped once its places
 * are all given back and its window has passed, so memory follows the active callers, not every
 * caller ever seen.
 *
 * @since 0.1.0
 */
public final class MemoryProxyStore implements ProxyStore {

	private static final int SWEEP_EVERY = 1024;

	private final Clock clock;

	private final ConcurrentHashMap<String, Integer> places = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Spent> budgets = new ConcurrentHashMap<>();

	private final AtomicInteger reservationsSinceSweep = new AtomicInteger();

	/** Create a store on the system clock. */
	public MemoryProxyStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a store on a clock of your choosing (tests).
	 * @param clock the clock that decides budget windows
	 */
	public MemoryProxyStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl) {
		return Mono.fromSupplier(() -> tryAcquire(caller, limit));
	}

	private boolean tryAcquire(String caller, int limit) {
		boolean[] acquired = { false };
		this.places.compute(caller, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= limit) {
				return count;
			}
			acquired[0] = true;
			return current + 1;
		});
		return acquired[0];
	}

	@Override
	public Mono<Void> renew(String caller, String leaseId, Duration ttl) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> release(String caller, String leaseId) {
		return Mono.fromRunnable(
				() -> this.places.computeIfPresent(caller, (key, count) -> (count <= 1) ? null : count - 1));
	}

	@Override
	public boolean leasesExpire() {
		return false;
	}

	@Override
	public Mono<TokenReservation> reserve(String caller, long tokens, long limit, Duration window) {
		return Mono.fromSupplier(() -> {
			long now = this.clock.millis();
			long windowMillis = window.toMillis();
			long current = now / windowMillis;
			TokenReservation[] decision = { null };
			this.budgets.compute(caller, (key, spent) -> {
				long used = (spent != null && spent.window() == current) ? spent.tokens() : 0;
				if (used >= limit) {
					decision[0] = TokenReservation.refused(current,
							Duration.ofMillis((current + 1) * windowMillis - now));
					return spent;
				}
				decision[0] = TokenReservation.admitted(current, tokens);
				return new Spent(current, used + tokens);
			});
			if (this.reservationsSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
				this.reservationsSinceSweep.set(0);
				this.budgets.values().removeIf((spent) -> spent.window() < current);
			}
			return decision[0];
		});
	}

	@Override
	public Mono<Void> settle(String caller, TokenReservation reservation, long spent, Duration window) {
		// A reservation from a window that has passed changes nothing: that window is over.
		return Mono.fromRunnable(() -> this.budgets.computeIfPresent(caller,
				(key, current) -> (current.window() != reservation.window()) ? current
						: new Spent(current.window(), Math.max(0, current.tokens() - reservation.tokens() + spent))));
	}

	/** The tokens spent and reserved by a caller in one window. */
	private record Spent(long window, long tokens) {
	}

}
