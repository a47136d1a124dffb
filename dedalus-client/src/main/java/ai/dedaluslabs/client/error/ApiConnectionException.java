package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * The API could not be reached, or the connection failed before the exchange finished: refused or
 * reset connections, TLS failures, a stream that ended before {@code [DONE]} while a choice was
 * unfinished, or an exhausted connection pool.
 *
 * <p>
 * When this is raised after the request was sent, the server may already have done (and billed)
 * the work: a dropped stream is not proof that nothing happened.
 *
 * @since 0.1.0
 */
public class ApiConnectionException extends DedalusException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception with a message.
	 * @param message what failed and how to fix it
	 */
	public ApiConnectionException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a message and a cause.
	 * @param message what failed and how to fix it
	 * @param cause the transport failure, or {@code null}
	 */
	public ApiConnectionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
