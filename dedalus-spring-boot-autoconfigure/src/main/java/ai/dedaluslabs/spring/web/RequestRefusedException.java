package ai.dedaluslabs.spring.web;

import java.util.Objects;

/**
 * A request refused by the backend owner's rules before anything went upstream (a model that is
 * not allowed, a caller over its limit). Forwarded to a browser as an {@code event: error} with its
 * own body, code and status, through {@link OpenAiErrorBody#of(Throwable)}.
 *
 * @since 0.1.0
 */
public class RequestRefusedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient OpenAiErrorBody body;

	/**
	 * Create the exception.
	 * @param body what the caller is told
	 */
	public RequestRefusedException(OpenAiErrorBody body) {
		super(Objects.requireNonNull(body, "body").message());
		this.body = body;
	}

	/**
	 * What the caller is told.
	 * @return the status and OpenAI error body
	 */
	public OpenAiErrorBody body() {
		return this.body;
	}

}
