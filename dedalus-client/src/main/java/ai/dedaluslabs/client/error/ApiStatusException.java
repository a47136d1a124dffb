package ai.dedaluslabs.client.error;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The API answered with a non-2xx status before any content. Carries the evidence: the status,
 * the {@code x-request-id} to quote to support, the raw body, the parsed {@link ApiError} and
 * the response headers. Statuses with their own meaning have subclasses; any other status (408,
 * 413, ...) is raised as this class.
 *
 * <p>
 * Use {@link #create} to obtain the right subclass for a status.
 *
 * @since 0.1.0
 */
public class ApiStatusException extends DedalusException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_BODY_IN_MESSAGE = 200;

	private final int statusCode;

	private final @Nullable String requestId;

	private final String body;

	private final ApiError error;

	private final transient Map<String, List<String>> headers;

	/**
	 * Create an exception for a response.
	 * @param statusCode the HTTP status
	 * @param requestId the {@code x-request-id} header, or {@code null}
	 * @param body the raw response body (empty when there was none)
	 * @param error the error parsed from the body ({@link ApiError#EMPTY} when none)
	 * @param headers the response headers, names in lower case
	 */
	public ApiStatusException(int statusCode, @Nullable String requestId, String body, ApiError error,
			Map<String, List<String>> headers) {
		super(describe(statusCode, requestId, body, error));
		this.statusCode = statusCode;
		this.requestId = requestId;
		this.body = body;
		this.error = error;
		this.headers = Map.copyOf(headers);
	}

	/**
	 * Create the exception class that matches a status: {@link BadRequestException} for 400,
	 * {@link AuthenticationException} for 401, {@link PermissionDeniedException} for 403,
	 * {@link NotFoundException} for 404, {@link ConflictException} for 409,
	 * {@link UnprocessableEntityException} for 422, {@link RateLimitException} for 429,
	 * {@link InternalServerException} for 5xx, and {@code ApiStatusException} otherwise.
	 * @param statusCode the HTTP status
	 * @param requestId the {@code x-request-id} header, or {@code null}
	 * @param body the raw body
	 * @param error the parsed error
	 * @param headers the response headers, names in lower case
	 * @return the exception, not thrown
	 */
	public static ApiStatusException create(int statusCode, @Nullable String requestId, String body, ApiError error,
			Map<String, List<String>> headers) {
		return switch (statusCode) {
			case 400 -> new BadRequestException(statusCode, requestId, body, error, headers);
			case 401 -> new AuthenticationException(statusCode, requestId, body, error, headers);
			case 403 -> new PermissionDeniedException(statusCode, requestId, body, error, headers);
			case 404 -> new NotFoundException(statusCode, requestId, body, error, headers);
			case 409 -> new ConflictException(statusCode, requestId, body, error, headers);
			case 422 -> new UnprocessableEntityException(statusCode, requestId, body, error, headers);
			case 429 -> new RateLimitException(statusCode, requestId, body, error, headers);
			default -> (statusCode >= 500 && statusCode <= 599)
					? new InternalServerException(statusCode, requestId, body, error, headers)
					: new ApiStatusException(statusCode, requestId, body, error, headers);
		};
	}

	private static String describe(int statusCode, @Nullable String requestId, String body, ApiError error) {
		StringBuilder text = new StringBuilder().append(statusCode);
		HttpStatus status = HttpStatus.resolve(statusCode);
		if (status != null) {
			text.append(' ').append(status.getReasonPhrase());
		}
		if (requestId != null) {
			text.append(" (").append(requestId).append(')');
		}
		text.append(": ");
		if (error.message() != null) {
			text.append(error.message());
		}
		else if (!body.isBlank()) {
			text.append((body.length() > MAX_BODY_IN_MESSAGE) ? body.substring(0, MAX_BODY_IN_MESSAGE) + "..." : body);
		}
		else {
			text.append("(empty body)");
		}
		ApiError.appendTypeAndCode(text, error.type(), error.code());
		return text.toString();
	}

	/**
	 * The HTTP status code.
	 * @return the status
	 */
	public int statusCode() {
		return this.statusCode;
	}

	/**
	 * The {@code x-request-id} response header, the id to quote to Dedalus support.
	 * @return the request id, or {@code null} when the response had none
	 */
	public @Nullable String requestId() {
		return this.requestId;
	}

	/**
	 * The raw response body.
	 * @return the body, empty when there was none
	 */
	public String body() {
		return this.body;
	}

	/**
	 * The error parsed from the body, whether or not it was wrapped in {@code {"error": ...}}.
	 * @return the error, {@link ApiError#EMPTY} when the body carried none
	 */
	public ApiError error() {
		return this.error;
	}

	/**
	 * The error's {@code type}, such as {@code invalid_request_error}.
	 * @return the type, or {@code null}
	 */
	public @Nullable String type() {
		return this.error.type();
	}

	/**
	 * The error's {@code code}.
	 * @return the code, or {@code null}
	 */
	public @Nullable String code() {
		return this.error.code();
	}

	/**
	 * The error's {@code message} as the API wrote it.
	 * @return the message, or {@code null}
	 */
	public @Nullable String errorMessage() {
		return this.error.message();
	}

	/**
	 * The response headers, names in lower case (for example {@code retry-after}).
	 * @return the headers, never {@code null}
	 */
	public Map<String, List<String>> headers() {
		return (this.headers != null) ? this.headers : Map.of();
	}

}
