package ai.dedaluslabs.spring.proxy;

import java.time.Duration;

/**
 * A store's answer to a budget reservation.
 *
 * @param admitted whether the request may go upstream
 * @param window which budget window the reservation was made in (windows are numbered from the
 * epoch), to settle it there
 * @param tokens the tokens reserved, {@code 0} when refused
 * @param retryAfter when refused, how long until the window ends and the budget is whole again
 * @since 0.1.0
 */
public record TokenReservation(boolean admitted, long window, long tokens, Duration retryAfter) {

	/**
	 * An admitted reservation.
	 * @param window the window it was made in
	 * @param tokens the tokens reserved
	 * @return the reservation
	 */
	public static TokenReservation admitted(long window, long tokens) {
		return new TokenReservation(true, window, tokens, Duration.ZERO);
	}

	/**
	 * A refusal.
	 * @param window the window that is spent
	 * @param retryAfter how long until it ends
	 * @return the refusal
	 */
	public static TokenReservation refused(long window, Duration retryAfter) {
		return new TokenReservation(false, window, 0, retryAfter);
	}

}
