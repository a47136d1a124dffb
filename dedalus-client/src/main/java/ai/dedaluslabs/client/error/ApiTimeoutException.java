package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * A configured time limit fired: connecting, waiting for response headers, silence between two
 * stream events, or the whole operation. The message names the limit and its value.
 *
 * @since 0.1.0
 */
public class ApiTimeoutException extends ApiConnectionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception with a message.
	 * @param message which limit fired, its value, and the property that sets it
	 */
	public ApiTimeoutException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a message and a cause.
	 * @param message which limit fired, its value, and the property that sets it
	 * @param cause the underlying timeout, or {@code null}
	 */
	public ApiTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
