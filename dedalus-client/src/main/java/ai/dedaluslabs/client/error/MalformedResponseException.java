package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * The API answered with something the client cannot decode: JSON that does not parse, an SSE
 * stream that breaks the protocol, or an event or body larger than the configured maximum event
 * size. The message quotes the start of the offending payload.
 *
 * @since 0.1.0
 */
public class MalformedResponseException extends DedalusException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception with a message.
	 * @param message what could not be decoded
	 */
	public MalformedResponseException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a message and a cause.
	 * @param message what could not be decoded
	 * @param cause the decoding failure, or {@code null}
	 */
	public MalformedResponseException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
