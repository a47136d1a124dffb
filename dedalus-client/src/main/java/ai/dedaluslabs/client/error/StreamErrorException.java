package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * The API reported an error inside a stream that had started with HTTP 200: an {@code event: error}
 * event or a payload whose top-level key is {@code error}. It arrives after every chunk that came
 * before it, so partial content already delivered is real output.
 *
 * @since 0.1.0
 */
public class StreamErrorException extends DedalusException {

	private static final long serialVersionUID = 1L;

	private final @Nullable String type;

	private final @Nullable String code;

	private final @Nullable String errorMessage;

	/**
	 * Create an exception for an error event.
	 * @param type the error's {@code type}, or {@code null}
	 * @param code the error's {@code code}, or {@code null}
	 * @param errorMessage the error's {@code message}, or {@code null}
	 */
	public StreamErrorException(@Nullable String type, @Nullable String code, @Nullable String errorMessage) {
		super(describe(type, code, errorMessage));
		this.type = type;
		this.code = code;
		this.errorMessage = errorMessage;
	}

	private static String describe(@Nullable String type, @Nullable String code, @Nullable String message) {
		StringBuilder text = new StringBuilder("The API reported an error mid-stream: ");
		text.append((message != null) ? message : "(no message)");
		ApiError.appendTypeAndCode(text, type, code);
		return text.toString();
	}

	/**
	 * The error's {@code type} as the API sent it.
	 * @return the type, or {@code null}
	 */
	public @Nullable String type() {
		return this.type;
	}

	/**
	 * The error's {@code code} as the API sent it (numbers are given as text).
	 * @return the code, or {@code null}
	 */
	public @Nullable String code() {
		return this.code;
	}

	/**
	 * The error's {@code message} as the API sent it.
	 * @return the message, or {@code null}
	 */
	public @Nullable String errorMessage() {
		return this.errorMessage;
	}

}
