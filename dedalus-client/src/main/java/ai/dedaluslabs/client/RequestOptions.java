package ai.dedaluslabs.client;

import org.jspecify.annotations.Nullable;

/**
 * Settings for one call that override the client's: how often to retry and the time limits.
 *
 * <pre class="code">
 * client.chat().completions().stream(request, RequestOptions.defaults().withMaxRetries(0));
 * </pre>
 *
 * @param maxRetries retries until response headers arrive, or {@code null} for the client's
 * @param timeouts the time limits, or {@code null} for the client's
 * @since 0.1.0
 */
public record RequestOptions(@Nullable Integer maxRetries, @Nullable Timeouts timeouts) {

	private static final RequestOptions DEFAULTS = new RequestOptions(null, null);

	/**
	 * Validates the retry count.
	 */
	public RequestOptions {
		if (maxRetries != null && maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must not be negative, but was " + maxRetries);
		}
	}

	/**
	 * Options that change nothing.
	 * @return the client's settings
	 */
	public static RequestOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * A copy with another retry count.
	 * @param maxRetries retries after the first attempt
	 * @return the copy
	 */
	public RequestOptions withMaxRetries(int maxRetries) {
		return new RequestOptions(maxRetries, this.timeouts);
	}

	/**
	 * A copy with other time limits.
	 * @param timeouts the limits
	 * @return the copy
	 */
	public RequestOptions withTimeouts(Timeouts timeouts) {
		return new RequestOptions(this.maxRetries, timeouts);
	}

}
