package ai.dedaluslabs.spring.proxy;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where the endpoint keeps its per-caller state: the places of open requests and the tokens spent
 * in the current budget window. {@link MemoryProxyStore} serves one instance;
 * {@code ai.dedaluslabs.spring.proxy.redis.RedisProxyStore} shares the state among every instance
 * on one Redis, so that a limit holds for the whole deployment, not per instance.
 *
 * <p>
 * Every operation is atomic in the store: two instances asking at once never together exceed a
 * limit. A failing operation signals its error, and the endpoint refuses the request with 503: a
 * limit that silently stops applying is what an attacker would aim for.
 *
 * @since 0.1.0
 */
public interface ProxyStore {

	/**
	 * Take a place for one request of a caller.
	 * @param caller the caller's key
	 * @param leaseId a unique id for the request's place
	 * @param limit the most places the caller may hold
	 * @param ttl how long the place lasts unless {@linkplain #renew renewed}, so that a crashed
	 * instance's places free themselves; a store that lives and dies with the instance may ignore it
	 * @return {@code true} when the place was taken, {@code false} when the caller holds
	 * {@code limit} already
	 */
	Mono<Boolean> acquire(String caller, String leaseId, int limit, Duration ttl);

	/**
	 * Extend a place that is still in use.
	 * @param caller the caller's key
	 * @param leaseId the place's id
	 * @param ttl how long from now it lasts
	 * @return completes when extended
	 */
	Mono<Void> renew(String caller, String leaseId, Duration ttl);

	/**
	 * Give a place back.
	 * @param caller the caller's key
	 * @param leaseId the place's id
	 * @return completes when given back
	 */
	Mono<Void> release(String caller, String leaseId);

	/**
	 * Whether places expire by themselves and so must be {@linkplain #renew renewed} while their
	 * request lives.
	 * @return {@code true} for a store shared by several instances
	 */
	boolean leasesExpire();

	/**
	 * Reserve tokens for a request in the caller's current budget window. The request is admitted
	 * while the tokens spent and reserved in the window are below the limit, so requests running at
	 * once overshoot the limit by at most what they reserved.
	 * @param caller the caller's key
	 * @param tokens the tokens to reserve (the most the request may cost)
	 * @param limit the caller's tokens per window
	 * @param window the window's length
	 * @return the decision; when admitted, the reservation to {@linkplain #settle settle}
	 */
	Mono<TokenReservation> reserve(String caller, long tokens, long limit, Duration window);

	/**
	 * Replace a reservation by what the request really cost, in the window it was made in.
	 * @param caller the caller's key
	 * @param reservation the admitted reservation
	 * @param spent the tokens the request cost
	 * @param window the window's length
	 * @return completes when settled
	 */
	Mono<Void> settle(String caller, TokenReservation reservation, long spent, Duration window);

}
