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

}
