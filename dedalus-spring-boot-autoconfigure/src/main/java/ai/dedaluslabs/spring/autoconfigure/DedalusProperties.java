package ai.dedaluslabs.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Dedalus client ({@code dedalus.*}). Values that are {@code null} leave the
 * client's default in place.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("dedalus")
public class DedalusProperties {

	/**
	 * Whether to configure the Dedalus client at all. When false: no client bean, no endpoints, no
	 * API key check.
	 */
	private boolean enabled = true;

	/**
	 * Dedalus API key, sent as a bearer token. Defaults to the DEDALUS_API_KEY environment
	 * variable. Never logged or shown.
	 */
	private @Nullable String apiKey;

	/**
	 * Root URL of the API, without /v1. Defaults to the DEDALUS_BASE_URL environment variable, else
	 * https://api.dedaluslabs.ai.
	 */
	private @Nullable String baseUrl;

	/**
	 * Model used when a request names none.
	 */
	private String defaultModel = "openai/gpt-5-nano";

	/**
	 * Authorization server whose key encrypts MCP credentials before they leave this machine (the
	 * runner's credentials). Defaults to the environment variable DEDALUS_AS_URL; unset, credentials
	 * are sent as given.
	 */
	private @Nullable String asUrl;

	/**
	 * Provider for bring-your-own-key requests, sent as the X-Provider header.
	 */
	private @Nullable String provider;

	/**
	 * Provider API key for bring-your-own-key requests, sent as the X-Provider-Key header. Never
	 * logged or shown.
	 */
	private @Nullable String providerKey;

	/**
	 * Extra headers sent on every request. Their values are masked like secrets.
	 */
	private final Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Retries of a request until response headers arrive (connection failures, 408, 409, 429,
	 * 5xx). Never retried once a response has started.
	 */
	private int maxRetries = 2;

	/**
	 * Largest SSE event or non-streamed response body accepted. Not capped by
	 * spring.codec.max-in-memory-size.
	 */
	private DataSize maxEventSize = DataSize.ofMegabytes(8);

	/**
	 * Whether to offer HTTP/2 to the API where the server supports it.
	 */
	private boolean http2;

	private final Timeout timeout = new Timeout();

	private final Pool pool = new Pool();

	private final Ssl ssl = new Ssl();

	private final Stream stream = new Stream();

	private final Sse sse = new Sse();

	private final Metrics metrics = new Metrics();

	private final Proxy proxy = new Proxy();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getDefaultModel() {
		return this.defaultModel;
	}

	public void setDefaultModel(String defaultModel) {
		this.defaultModel = defaultModel;
	}

	public @Nullable String getAsUrl() {
		return this.asUrl;
	}

	public void setAsUrl(@Nullable String asUrl) {
		this.asUrl = asUrl;
	}

	public @Nullable String getProvider() {
		return this.provider;
	}

	public void setProvider(@Nullable String provider) {
		this.provider = provider;
	}

	public @Nullable String getProviderKey() {
		return this.providerKey;
	}

	public void setProviderKey(@Nullable String providerKey) {
		this.providerKey = providerKey;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public int getMaxRetries() {
		return this.maxRetries;
	}

	public void setMaxRetries(int maxRetries) {
		this.maxRetries = maxRetries;
	}

	public DataSize getMaxEventSize() {
		return this.maxEventSize;
	}

	public void setMaxEventSize(DataSize maxEventSize) {
		this.maxEventSize = maxEventSize;
	}

	public boolean isHttp2() {
		return this.http2;
	}

	public void setHttp2(boolean http2) {
		this.http2 = http2;
	}

	public Timeout getTimeout() {
		return this.timeout;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Stream getStream() {
		return this.stream;
	}

	public Sse getSse() {
		return this.sse;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	/**
	 * Time limits.
	 */
	public static class Timeout {

		/**
		 * Longest a TCP/TLS connect may take.
		 */
		private Duration connect = Duration.ofSeconds(10);

		/**
		 * Longest to wait for response headers once a request is sent.
		 */
		private Duration response = Duration.ofSeconds(60);

		/**
		 * Longest silence between two pieces of a streamed response; reset by every byte.
		 */
		private Duration idle = Duration.ofSeconds(120);

		/**
		 * Longest a whole operation may take, retries included. No limit when unset.
		 */
		private @Nullable Duration total;

		public Duration getConnect() {
			return this.connect;
		}

		public void setConnect(Duration connect) {
			this.connect = connect;
		}

		public Duration getResponse() {
			return this.response;
		}

		public void setResponse(Duration response) {
			this.response = response;
		}

		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

		public @Nullable Duration getTotal() {
			return this.total;
		}

		public void setTotal(@Nullable Duration total) {
			this.total = total;
		}

	}

	/**
	 * Connection pool, sized for long-lived streams.
	 */
	public static class Pool {

		/**
		 * Most connections open at once; each open stream holds one (HTTP/1.1).
		 */
		private int maxConnections = 4096;

		/**
		 * Most requests waiting for a connection; one more fails naming this property.
		 */
		private int maxPendingAcquires = 8192;

		/**
		 * How long an unused connection is kept.
		 */
		private Duration maxIdleTime = Duration.ofSeconds(30);

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxPendingAcquires() {
			return this.maxPendingAcquires;
		}

		public void setMaxPendingAcquires(int maxPendingAcquires) {
			this.maxPendingAcquires = maxPendingAcquires;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

	}

	/**
	 * TLS to the API.
	 */
	public static class Ssl {

		/**
		 * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) for the API connection.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Streamed requests.
	 */
	public static class Stream {

		/**
		 * Whether streams always ask the API for the final usage chunk
		 * (stream_options.include_usage), so token usage reaches the metrics.
		 */
		private boolean includeUsage = true;

		public boolean isIncludeUsage() {
			return this.includeUsage;
		}

		public void setIncludeUsage(boolean includeUsage) {
			this.includeUsage = includeUsage;
		}

	}

	/**
	 * Streams forwarded to browsers as Server-Sent Events.
	 */
	public static class Sse {

		/**
		 * Write a ':' comment to the browser when nothing was written for this long, so proxies
		 * keep the connection and a closed tab is noticed.
		 */
		private Duration heartbeat = Duration.ofSeconds(15);

		/**
		 * Longest a forwarded stream may last. No limit when unset.
		 */
		private @Nullable Duration timeout;

		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(Duration heartbeat) {
			this.heartbeat = heartbeat;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		private final Resume resume = new Resume();

		public Resume getResume() {
			return this.resume;
		}

		/**
		 * Resumable streams.
		 */
		public static class Resume {

			/**
			 * How long a resumable stream goes on with no browser reading it before its upstream
			 * request is cancelled.
			 */
			private Duration grace = Duration.ofSeconds(30);

			/**
			 * How long a finished resumable stream stays readable.
			 */
			private Duration retention = Duration.ofMinutes(5);

			/**
			 * Where resumable streams are kept: memory (the instance that started them; needs sticky
			 * sessions behind a load balancer) or redis (Redis Streams: any instance resumes).
			 */
			private Store store = Store.MEMORY;

			/**
			 * Most resumable streams kept at once; more are refused with an error event.
			 */
			private int maxStreams = 1000;

			/**
			 * Most events one resumable stream keeps; a longer answer is cut there with an error
			 * event.
			 */
			private int maxEvents = 50_000;

			/**
			 * Prefix of the keys resumable streams write in Redis.
			 */
			private String redisKeyPrefix = "dedalus:resume";

			public Duration getGrace() {
				return this.grace;
			}

			public void setGrace(Duration grace) {
				this.grace = grace;
			}

			public Duration getRetention() {
				return this.retention;
			}

			public void setRetention(Duration retention) {
				this.retention = retention;
			}

			public Store getStore() {
				return this.store;
			}

			public void setStore(Store store) {
				this.store = store;
			}

			public int getMaxStreams() {
				return this.maxStreams;
			}

			public void setMaxStreams(int maxStreams) {
				this.maxStreams = maxStreams;
			}

			public int getMaxEvents() {
				return this.maxEvents;
			}

			public void setMaxEvents(int maxEvents) {
				this.maxEvents = maxEvents;
			}

			public String getRedisKeyPrefix() {
				return this.redisKeyPrefix;
			}

			public void setRedisKeyPrefix(String redisKeyPrefix) {
				this.redisKeyPrefix = redisKeyPrefix;
			}

			/**
			 * Where resumable streams are kept.
			 */
			public enum Store {

				/** In the memory of the instance that started them. */
				MEMORY,

				/** In Redis Streams, readable from every instance. */
				REDIS

			}

		}

	}

	/**
	 * Micrometer metrics.
	 */
	public static class Metrics {

		/**
		 * Whether to record Dedalus metrics when a MeterRegistry exists.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The OpenAI-compatible endpoint for front ends.
	 */
	public static class Proxy {

		/**
		 * Whether to serve POST {path}/v1/chat/completions and GET {path}/v1/models, relaying to
		 * the API with the server's key.
		 */
		private boolean enabled;

		/**
		 * Path prefix of the endpoint; the official SDKs take {path}/v1 as their base URL.
		 */
		private String path = "/dedalus";

		/**
		 * Models callers may use, as glob patterns (for example openai/*). Defaults to
		 * dedalus.default-model only.
		 */
		private List<String> allowedModels = new ArrayList<>();

		/**
		 * Largest max_tokens or max_completion_tokens a caller may ask for; a request with neither
		 * gets this limit.
		 */
		private int maxCompletionTokens = 4096;

		/**
		 * Largest request body accepted; larger ones are refused with 413.
		 */
		private DataSize maxRequestSize = DataSize.ofKilobytes(256);

		/**
		 * Most requests, streamed and non-streamed together, one caller (the authenticated
		 * principal, else the remote address) may have open at once; more are refused with 429.
		 */
		private int maxConcurrentRequests = 4;

		/**
		 * Most choices (n) a request may ask for; more are refused with 400.
		 */
		private int maxChoices = 1;

		/**
		 * Request fields beyond the OpenAI-compatible ones that callers may send, such as
		 * mcp_servers, or model.settings for a model given with its settings. Every other field is
		 * refused with 400.
		 */
		private List<String> allowedFields = new ArrayList<>();

		/**
		 * MCP servers callers may name when mcp_servers is allowed, as glob patterns over slugs or
		 * URLs; any other is refused with 400.
		 */
		private List<String> allowedMcpServers = new ArrayList<>();

		/**
		 * Longest a caller may take to send its request body; a slower body is refused with 408
		 * and holds no thread while it trickles in.
		 */
		private Duration bodyReadTimeout = Duration.ofSeconds(10);

		/**
		 * Where per-caller limits and token budgets are kept: memory (this instance only) or redis
		 * (shared by every instance through the application's Spring Data Redis connection).
		 */
		private Store store = Store.MEMORY;

		/**
		 * How long a request's place lasts in Redis unless renewed; it is renewed while the
		 * request lives, so only a crashed instance's places run out.
		 */
		private Duration leaseTtl = Duration.ofSeconds(30);

		/**
		 * Longest the store may take to answer; past it, or when it cannot be reached, requests are
		 * refused with 503.
		 */
		private Duration storeTimeout = Duration.ofSeconds(2);

		/**
		 * Prefix of the keys the endpoint writes in Redis; applications that share one Redis and
		 * must not share budgets set different prefixes.
		 */
		private String redisKeyPrefix = "dedalus:proxy";

		private final TokenBudget tokenBudget = new TokenBudget();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public List<String> getAllowedModels() {
			return this.allowedModels;
		}

		public void setAllowedModels(List<String> allowedModels) {
			this.allowedModels = allowedModels;
		}

		public int getMaxCompletionTokens() {
			return this.maxCompletionTokens;
		}

		public void setMaxCompletionTokens(int maxCompletionTokens) {
			this.maxCompletionTokens = maxCompletionTokens;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public int getMaxConcurrentRequests() {
			return this.maxConcurrentRequests;
		}

		public void setMaxConcurrentRequests(int maxConcurrentRequests) {
			this.maxConcurrentRequests = maxConcurrentRequests;
		}

		/**
		 * Most streams one caller may have open at once.
		 * @return the limit
		 * @deprecated non-streamed requests count too: use max-concurrent-requests
		 */
		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "dedalus.proxy.max-concurrent-requests",
				reason = "Streamed and non-streamed requests share one limit")
		public int getMaxConcurrentStreams() {
			return this.maxConcurrentRequests;
		}

		@Deprecated(since = "0.1.0")
		public void setMaxConcurrentStreams(int maxConcurrentStreams) {
			this.maxConcurrentRequests = maxConcurrentStreams;
		}

		public int getMaxChoices() {
			return this.maxChoices;
		}

		public void setMaxChoices(int maxChoices) {
			this.maxChoices = maxChoices;
		}

		public List<String> getAllowedFields() {
			return this.allowedFields;
		}

		public void setAllowedFields(List<String> allowedFields) {
			this.allowedFields = allowedFields;
		}

		public List<String> getAllowedMcpServers() {
			return this.allowedMcpServers;
		}

		public void setAllowedMcpServers(List<String> allowedMcpServers) {
			this.allowedMcpServers = allowedMcpServers;
		}

		public Duration getBodyReadTimeout() {
			return this.bodyReadTimeout;
		}

		public void setBodyReadTimeout(Duration bodyReadTimeout) {
			this.bodyReadTimeout = bodyReadTimeout;
		}

		public Store getStore() {
			return this.store;
		}

		public void setStore(Store store) {
			this.store = store;
		}

		public Duration getLeaseTtl() {
			return this.leaseTtl;
		}

		public void setLeaseTtl(Duration leaseTtl) {
			this.leaseTtl = leaseTtl;
		}

		public Duration getStoreTimeout() {
			return this.storeTimeout;
		}

		public void setStoreTimeout(Duration storeTimeout) {
			this.storeTimeout = storeTimeout;
		}

		public String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		public void setRedisKeyPrefix(String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

		public TokenBudget getTokenBudget() {
			return this.tokenBudget;
		}

		/**
		 * Where the endpoint keeps its per-caller state.
		 */
		public enum Store {

			/** In this instance's memory: right for one instance. */
			MEMORY,

			/** In Redis, shared by every instance. */
			REDIS

		}

		/**
		 * Tokens each caller may spend per window.
		 */
		public static class TokenBudget {

			/**
			 * Tokens (input + output, as the API reports them) each caller may spend per window;
			 * over it, requests are refused with 429 and Retry-After. Unset: no budget.
			 */
			private @Nullable Long limit;

			/**
			 * Length of a budget window. Windows are aligned to the epoch: with 1h every budget is
			 * whole again on the hour.
			 */
			private Duration window = Duration.ofHours(1);

			public @Nullable Long getLimit() {
				return this.limit;
			}

			public void setLimit(@Nullable Long limit) {
				this.limit = limit;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

		}

	}

}
