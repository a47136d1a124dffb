package ai.dedaluslabs.client;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link DedalusClient}, as validated by its builder. Secrets (the API
 * key, the provider key and every extra header value) never appear in {@link #toString()}.
 *
 * @param apiKey the Dedalus API key, sent as {@code Authorization: Bearer ...}
 * @param baseUrl the API's root, without {@code /v1}
 * @param defaultModel the model for requests that name none
 * @param provider the {@code X-Provider} header for bring-your-own-key, or {@code null}
 * @param providerKey the {@code X-Provider-Key} header, or {@code null}
 * @param headers extra headers sent on every request
 * @param maxEventSize the largest SSE event or non-streamed body accepted, in bytes
 * @param timeouts the time limits
 * @param pool the connection pool, used when the client owns its connector
 * @param http2 whether to offer HTTP/2 to the API
 * @param maxRetries retries of a request until response headers arrive
 * @param includeUsage whether streams always ask the API for the final usage chunk
 * @since 0.1.0
 */
public record DedalusClientOptions(String apiKey, URI baseUrl, String defaultModel, @Nullable String provider,
		@Nullable String providerKey, Map<String, String> headers, int maxEventSize, Timeouts timeouts,
		PoolSettings pool, boolean http2, int maxRetries, boolean includeUsage) {

	/** The public Dedalus API. */
	public static final String DEFAULT_BASE_URL = "https://api.dedaluslabs.ai";

	/** The model used when neither the request nor the client names one. */
	public static final String DEFAULT_MODEL = "openai/gpt-5-nano";

	/** 8 MiB. */
	public static final int DEFAULT_MAX_EVENT_SIZE = 8 * 1024 * 1024;

	/** Retries after the first attempt, as the official SDKs do. */
	public static final int DEFAULT_MAX_RETRIES = 2;

	/**
	 * Copies the headers and checks the values that have no natural default.
	 */
	public DedalusClientOptions {
		Objects.requireNonNull(apiKey, "apiKey");
		Objects.requireNonNull(baseUrl, "baseUrl");
		Objects.requireNonNull(defaultModel, "defaultModel");
		Objects.requireNonNull(timeouts, "timeouts");
		Objects.requireNonNull(pool, "pool");
		headers = Map.copyOf(headers);
		if (maxEventSize < 1024) {
			throw new IllegalArgumentException("dedalus.max-event-size must be at least 1KB, but was " + maxEventSize + " bytes");
		}
		if (maxRetries < 0) {
			throw new IllegalArgumentException("dedalus.max-retries must not be negative, but was " + maxRetries);
		}
	}

	@Override
	public String toString() {
		return "DedalusClientOptions[apiKey=******, baseUrl=" + this.baseUrl + ", defaultModel=" + this.defaultModel
				+ ", provider=" + this.provider + ", providerKey=" + ((this.providerKey != null) ? "******" : null)
				+ ", headers=" + this.headers.keySet() + ", maxEventSize=" + this.maxEventSize + ", timeouts="
				+ this.timeouts + ", pool=" + this.pool + ", http2=" + this.http2 + ", maxRetries=" + this.maxRetries
				+ ", includeUsage=" + this.includeUsage + "]";
	}

}
