package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

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

	private final transient @Nullable Duration retryAfter;

	/**
	 * Create the exception.
	 * @param body what the caller is told
	 */
	public RequestRefusedException(OpenAiErrorBody body) {
		this(body, null);
	}

	/**
	 * Create the exception for a refusal that passes with time.
	 * @param body what the caller is told
	 * @param retryAfter how long until the caller may try again, sent as {@code Retry-After}, or
	 * {@code null}
	 */
	public RequestRefusedException(OpenAiErrorBody body, @Nullable Duration retryAfter) {
		super(Objects.requireNonNull(body, "body").message(), null, false, false);
		this.body = body;
		this.retryAfter = retryAfter;
	}

	/**
	 * How long until the caller may try again.
	 * @return the wait, or {@code null} when trying again will not help
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * What the caller is told.
	 * @return the status and OpenAI error body
	 */
	public OpenAiErrorBody body() {
		return this.body;
	}

}
