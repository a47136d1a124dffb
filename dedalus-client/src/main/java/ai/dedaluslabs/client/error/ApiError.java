package ai.dedaluslabs.client.error;

import org.jspecify.annotations.Nullable;

/**
 * The error object the API sends with a failed request or inside a failed stream, as
 * {@code {"error": {"message", "type", "param", "code"}}} or unwrapped. Every part is optional
 * because providers behind Dedalus fill them unevenly.
 *
 * @param message the human-readable explanation, or {@code null}
 * @param type the error class, such as {@code invalid_request_error}, or {@code null}
 * @param param the request parameter at fault, or {@code null}
 * @param code a machine-readable code (numbers are given as text), or {@code null}
 * @since 0.1.0
 */
public record ApiError(@Nullable String message, @Nullable String type, @Nullable String param,
		@Nullable String code) {

	/** An error with no details, for bodies that carried none. */
	public static final ApiError EMPTY = new ApiError(null, null, null, null);

	static void appendTypeAndCode(StringBuilder text, @Nullable String type, @Nullable String code) {
		if (type == null && code == null) {
			return;
		}
		text.append(" [");
		if (type != null) {
			text.append(type);
		}
		if (code != null) {
			text.append((type != null) ? ": " : "").append(code);
		}
		text.append(']');
	}

}
