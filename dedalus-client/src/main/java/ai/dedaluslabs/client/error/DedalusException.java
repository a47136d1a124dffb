package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception the Dedalus client throws. Unchecked, so reactive pipelines and
 * blocking callers handle failures the same way.
 *
 * <p>
 * Messages never contain the API key or any other configured secret.
 *
 * @since 0.1.0
 */
public class DedalusException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private int attempts = 1;

	/**
	 * Create an exception with a message.
	 * @param message what went wrong and, where possible, how to fix it
	 */
	public DedalusException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a message and a cause.
	 * @param message what went wrong and, where possible, how to fix it
	 * @param cause the underlying failure, or {@code null}
	 */
	public DedalusException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * How many HTTP attempts the operation made before it failed with this exception: 1 when it
	 * was not retried.
	 * @return the number of attempts
	 */
	public int attempts() {
		return this.attempts;
	}

	/**
	 * Record how many attempts were made. Called by the client when it gives up retrying.
	 * @param attempts the number of attempts, at least 1
	 * @return this exception
	 */
	public DedalusException attempts(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1, but was " + attempts);
		}
		this.attempts = attempts;
		return this;
	}

	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (this.attempts > 1) ? message + " (after " + this.attempts + " attempts)" : message;
	}

}
