package ai.dedaluslabs.spring.proxy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import ai.dedaluslabs.spring.web.RequestRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Admits a caller's request under the per-caller limits: a place among its open requests, then
 * (with a budget) a reservation of the most tokens the request may cost. Refusals are
 * {@link RequestRefusedException}s: 429 over a limit, 503 when the store cannot answer.
 */
final class CallerGate {

	private static final Log logger = LogFactory.getLog(CallerGate.class);

	private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(1);

	private final ProxyStore store;

	private final ProxySettings settings;

	private final ProxyTokenMeter meter;

	/**
	 * Lease ids are this gate's random prefix and a counter: unique across the instances that share
	 * a store, shorter than a UUID (an open request keeps its id), and without a call to the shared
	 * {@code SecureRandom} for every request.
	 */
	private final String leasePrefix = Long.toHexString(new SecureRandom().nextLong()) + "-";

	private final AtomicLong leases = new AtomicLong();

	CallerGate(ProxyStore store, ProxySettings settings, ProxyTokenMeter meter) {
		this.store = store;
		this.settings = settings;
		this.meter = meter;
	}

	/**
	 * Admit a request.
	 * @param caller the caller's key
	 * @param reserve the most tokens the request may cost
	 * @return the admission, to {@linkplain Admission#end end} when the request does; cancelling
	 * while the store is still deciding gives back whatever it granted
	 */
	Mono<Admission> admit(String caller, long reserve) {
		return Mono.create((sink) -> {
			AtomicReference<@Nullable Object> state = new AtomicReference<>();
			sink.onCancel(() -> {
				if (state.getAndSet(Boolean.FALSE) instanceof Admission granted) {
					granted.endUnused();
				}
			});
			decide(caller, reserve).subscribe((admission) -> {
				if (!state.compareAndSet(null, admission)) {
					admission.endUnused();
					return;
				}
				sink.success(admission);
			}, sink::error);
		});
	}

	/** The store's decision, run to its end even when the caller leaves meanwhile. */
	private Mono<Admission> decide(String caller, long reserve) {
		String leaseId = this.leasePrefix + Long.toString(this.leases.incrementAndGet(), 36);
		return guarded(this.store.acquire(caller, leaseId, this.settings.maxConcurrentRequests(),
				this.settings.leaseTtl()))
			.flatMap((acquired) -> {
				if (!acquired) {
					return Mono.error(new RequestRefusedException(tooManyRequests()));
				}
				Admission admission = new Admission(caller, leaseId);
				ProxySettings.TokenBudget budget = this.settings.tokenBudget();
				if (budget == null) {
					return Mono.just(admission);
				}
				return guarded(this.store.reserve(caller, reserve, budget.limit(), budget.window()))
					.onErrorResume((error) -> {
						admission.endUnused();
						return Mono.error(error);
					})
					.flatMap((reservation) -> {
						if (!reservation.admitted()) {
							admission.endUnused();
							return Mono.error(new RequestRefusedException(budgetExceeded(budget),
									reservation.retryAfter()));
						}
						admission.reservation = reservation;
						return Mono.just(admission);
					});
			})
			.doOnNext(Admission::keepAlive);
	}

	private <T> Mono<T> guarded(Mono<T> operation) {
		return limited(operation).onErrorMap((error) -> {
			logger.warn("Refusing a request with 503: the endpoint's limit store did not answer ("
					+ error.getClass().getSimpleName() + ": " + error.getMessage() + ")");
			return new RequestRefusedException(storeUnavailable(), STORE_RETRY_AFTER);
		});
	}

	/** The store's answer within {@code dedalus.proxy.store-timeout}; no timer when it answers at once. */
	private <T> Mono<T> limited(Mono<T> operation) {
		Duration limit = this.settings.storeTimeout();
		return TimeLimit.of(operation, limit,
				() -> new TimeoutException("no answer within " + limit.toMillis() + " ms"));
	}

	private OpenAiErrorBody tooManyRequests() {
		return new OpenAiErrorBody(429, "Too many requests open at once for this caller (at most "
				+ this.settings.maxConcurrentRequests() + ")", "rate_limit_error", null, "too_many_requests");
	}

	private static OpenAiErrorBody budgetExceeded(ProxySettings.TokenBudget budget) {
		return new OpenAiErrorBody(429, "This caller has spent its token budget (" + budget.limit() + " tokens per "
				+ text(budget.window()) + "); try again when the window ends",
				"rate_limit_error", null, "token_budget_exceeded");
	}

	private static String text(Duration window) {
		long seconds = window.toSeconds();
		if (seconds % 3600 == 0) {
			return (seconds / 3600) + "h";
		}
		return (seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
	}

	private static OpenAiErrorBody storeUnavailable() {
		return new OpenAiErrorBody(503, "The endpoint cannot check its limits right now; try again shortly",
				"server_error", null, "store_unavailable");
	}

	/**
	 * A request's place and reservation, held until {@link #end} gives the place back and settles
	 * the reservation with what the request cost.
	 */
	final class Admission {

		private final String caller;

		private final String leaseId;

		private @Nullable TokenReservation reservation;

		private final AtomicReference<@Nullable Disposable> renewal = new AtomicReference<>();

		private final AtomicBoolean ended = new AtomicBoolean();

		Admission(String caller, String leaseId) {
			this.caller = caller;
			this.leaseId = leaseId;
		}

		/** Renew the place while the request lives, when the store's places expire by themselves. */
		void keepAlive() {
			if (!CallerGate.this.store.leasesExpire()) {
				return;
			}
			Duration ttl = CallerGate.this.settings.leaseTtl();
			Duration every = ttl.dividedBy(3);
			this.renewal.set(Flux.interval(every, every)
				.concatMap((tick) -> limited(CallerGate.this.store.renew(this.caller, this.leaseId, ttl))
					.onErrorResume((error) -> {
						logger.warn("Could not renew a request's place in the limit store (" + error.getMessage()
								+ "); it expires by itself if this goes on");
						return Mono.empty();
					}))
				.subscribe());
			if (this.ended.get()) {
				stopRenewal();
			}
		}

		/** End a request that never went upstream: nothing to charge. */
		void endUnused() {
			end("cancelled", 0, false);
		}

		/**
		 * End the request: give its place back and charge what it cost.
		 * @param outcome {@code completed}, {@code cancelled} or {@code failed}
		 * @param tally what it cost
		 */
		void end(String outcome, TokenTally tally) {
			end(outcome, tally.tokens(), !tally.reported());
		}

		private void end(String outcome, long tokens, boolean estimated) {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			stopRenewal();
			limited(CallerGate.this.store.release(this.caller, this.leaseId))
				.subscribe(null, (error) -> logger.warn("Could not give a request's place back to the limit store ("
						+ error.getMessage() + "); it expires by itself"));
			TokenReservation held = this.reservation;
			ProxySettings.TokenBudget budget = CallerGate.this.settings.tokenBudget();
			if (held != null && budget != null) {
				limited(CallerGate.this.store.settle(this.caller, held, tokens, budget.window()))
					.subscribe(null, (error) -> logger.warn("Could not settle a request's tokens in the limit store ("
							+ error.getMessage() + "); its reservation stays charged"));
			}
			if (tokens > 0) {
				CallerGate.this.meter.spent(outcome, estimated, tokens);
			}
		}

		private void stopRenewal() {
			Disposable running = this.renewal.getAndSet(null);
			if (running != null) {
				running.dispose();
			}
		}

	}

}
