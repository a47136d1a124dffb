package ai.dedaluslabs.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.internal.ApiTransport;
import ai.dedaluslabs.client.internal.ChatObservations;
import ai.dedaluslabs.client.internal.ConnectionHandle;
import ai.dedaluslabs.client.internal.PoolGauges;
import ai.dedaluslabs.client.internal.RetryPolicy;
import ai.dedaluslabs.client.internal.Secrets;
import ai.dedaluslabs.client.internal.TransportSettings;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.client.observation.ChatObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Dedalus API client: chat completions (blocking, {@code Mono} or streamed as a {@code Flux})
 * and the model list. Thread-safe; create one per application and share it. Closing it releases
 * the connection pool it created.
 *
 * <pre class="code">
 * try (DedalusClient client = DedalusClient.builder().apiKey(System.getenv("DEDALUS_API_KEY")).build()) {
 *     ChatCompletionRequest request = ChatCompletionRequest.builder()
 *         .addMessage(ChatMessage.user("What do you think of artificial intelligence?"))
 *         .build();
 *
 *     // blocking, for servlet code
 *     ChatCompletion completion = client.chat().completions().create(request);
 *
 *     // reactive
 *     Mono&lt;ChatCompletion&gt; later = client.chat().completions().createAsync(request);
 *
 *     // streamed: one HTTP request per subscription, cancelled when the subscriber cancels
 *     client.chat().completions().stream(request)
 *         .mapNotNull((chunk) -&gt; chunk.choices().isEmpty() ? null : chunk.choices().get(0).delta().content())
 *         .doOnNext(System.out::print)
 *         .blockLast();
 * }
 * </pre>
 *
 * <p>
 * Built on Spring's {@link WebClient} over Reactor Netty: non-blocking, with backpressure from
 * the subscriber down to the socket. The API key is never logged and never appears in any
 * exception message or {@code toString()}.
 *
 * @since 0.1.0
 */
public final class DedalusClient implements AutoCloseable {

	private final DedalusClientOptions options;

	private final ChatCompletions completions;

	private final Chat chat;

	private final Models models;

	private final @Nullable ConnectionProvider ownedPool;

	private final @Nullable PoolGauges poolGauges;

	private final AtomicBoolean closed = new AtomicBoolean();

	private DedalusClient(DedalusClientOptions options, ApiTransport transport, JsonMapper mapper,
			ChatObservations observations, @Nullable ConnectionProvider ownedPool, @Nullable PoolGauges poolGauges) {
		this.options = options;
		this.completions = new ChatCompletions(transport, mapper, options, observations);
		this.chat = new Chat(this.completions);
		this.models = new Models(transport, options);
		this.ownedPool = ownedPool;
		this.poolGauges = poolGauges;
	}

	/**
	 * Start building a client. The API key and base URL start from the {@code DEDALUS_API_KEY}
	 * and {@code DEDALUS_BASE_URL} environment variables, as the official SDKs do.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder(System::getenv);
	}

	/**
	 * Chat endpoints.
	 * @return the chat entry point
	 */
	public Chat chat() {
		return this.chat;
	}

	/**
	 * The model list.
	 * @return the models entry point
	 */
	public Models models() {
		return this.models;
	}

	/**
	 * The settings this client was built with (secrets masked in {@code toString()}).
	 * @return the options
	 */
	public DedalusClientOptions options() {
		return this.options;
	}

	/**
	 * The state of the connection pool this client created: how many connections streams hold,
	 * how many are idle, how many requests wait.
	 * @return a snapshot, all zero for a client built on a caller's connector
	 */
	public ConnectionPoolStats connectionPool() {
		PoolGauges gauges = this.poolGauges;
		if (gauges == null) {
			return ConnectionPoolStats.EMPTY;
		}
		return new ConnectionPoolStats(gauges.sum(ConnectionPoolMetrics::acquiredSize),
				gauges.sum(ConnectionPoolMetrics::idleSize), gauges.sum(ConnectionPoolMetrics::pendingAcquireSize),
				gauges.sum(ConnectionPoolMetrics::allocatedSize));
	}

	/**
	 * Release the connection pool this client created. Streams still open are cut. Calling it
	 * again does nothing. A client built on a caller's {@link ClientHttpConnector} leaves that
	 * connector to its owner.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true) && this.ownedPool != null) {
			this.ownedPool.dispose();
		}
	}

	/**
	 * Whether {@link #close()} was called.
	 * @return {@code true} once closed
	 */
	public boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public String toString() {
		return "DedalusClient[baseUrl=" + this.options.baseUrl() + ", defaultModel=" + this.options.defaultModel() + "]";
	}

	/**
	 * Builds a {@link DedalusClient}; {@link #build()} validates every setting.
	 */
	public static final class Builder {

		private @Nullable String apiKey;

		private String baseUrl;

		private String defaultModel = DedalusClientOptions.DEFAULT_MODEL;

		private @Nullable String provider;

		private @Nullable String providerKey;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private int maxEventSize = DedalusClientOptions.DEFAULT_MAX_EVENT_SIZE;

		private Timeouts timeouts = Timeouts.DEFAULTS;

		private PoolSettings pool = PoolSettings.DEFAULTS;

		private boolean http2;

		private int maxRetries = DedalusClientOptions.DEFAULT_MAX_RETRIES;

		private boolean includeUsage = true;

		private WebClient.@Nullable Builder webClientBuilder;

		private @Nullable ClientHttpConnector connector;

		private @Nullable JsonMapper jsonMapper;

		private Scheduler timer = Schedulers.parallel();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable ChatObservationConvention observationConvention;

		private @Nullable Function<HttpClient, ClientHttpConnector> connectorFactory;

		Builder(Function<String, @Nullable String> environment) {
			this.apiKey = environment.apply("DEDALUS_API_KEY");
			String envBaseUrl = environment.apply("DEDALUS_BASE_URL");
			this.baseUrl = (envBaseUrl != null && !envBaseUrl.isBlank()) ? envBaseUrl
					: DedalusClientOptions.DEFAULT_BASE_URL;
		}

		/**
		 * The API key, sent as {@code Authorization: Bearer}.
		 * @param apiKey the key, or {@code null} to clear one taken from the environment
		 * @return this builder
		 */
		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * The API's root URL, {@code https://api.dedaluslabs.ai} by default. Paths carry
		 * {@code /v1}; a URL ending in {@code /v1} is accepted and the suffix dropped.
		 * @param baseUrl an absolute http or https URL
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			return this;
		}

		/**
		 * The model for requests that name none ({@code openai/gpt-5-nano} by default).
		 * @param defaultModel a model id
		 * @return this builder
		 */
		public Builder defaultModel(String defaultModel) {
			this.defaultModel = Objects.requireNonNull(defaultModel, "defaultModel");
			return this;
		}

		/**
		 * Bring your own provider key: the provider's name ({@code X-Provider}) and key
		 * ({@code X-Provider-Key}).
		 * @param provider the provider, such as {@code openai}, or {@code null}
		 * @param providerKey the provider's API key, or {@code null}
		 * @return this builder
		 */
		public Builder provider(@Nullable String provider, @Nullable String providerKey) {
			this.provider = provider;
			this.providerKey = providerKey;
			return this;
		}

		/**
		 * Add a header sent on every request. Its value is treated as a secret.
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/**
		 * The largest SSE event or non-streamed body accepted (8 MiB by default); a larger one
		 * fails with {@link ai.dedaluslabs.client.error.MalformedResponseException}.
		 * @param maxEventSize bytes, at least 1024
		 * @return this builder
		 */
		public Builder maxEventSize(int maxEventSize) {
			this.maxEventSize = maxEventSize;
			return this;
		}

		/**
		 * The time limits.
		 * @param timeouts the limits
		 * @return this builder
		 */
		public Builder timeouts(Timeouts timeouts) {
			this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
			return this;
		}

		/**
		 * The connection pool, for a client that creates its own connector.
		 * @param pool the pool settings
		 * @return this builder
		 */
		public Builder pool(PoolSettings pool) {
			this.pool = Objects.requireNonNull(pool, "pool");
			return this;
		}

		/**
		 * Offer HTTP/2 to the API (false by default).
		 * @param http2 whether to offer HTTP/2
		 * @return this builder
		 */
		public Builder http2(boolean http2) {
			this.http2 = http2;
			return this;
		}

		/**
		 * Retries of a request until response headers arrive (2 by default).
		 * @param maxRetries retries after the first attempt
		 * @return this builder
		 */
		public Builder maxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		/**
		 * Whether streams ask for the final usage chunk ({@code stream_options.include_usage},
		 * true by default). A request that sets its own {@code streamOptions} keeps them.
		 * @param includeUsage whether to ask
		 * @return this builder
		 */
		public Builder includeUsage(boolean includeUsage) {
			this.includeUsage = includeUsage;
			return this;
		}

		/**
		 * Build on an application's {@link WebClient.Builder} (it is cloned, so its filters,
		 * codecs and observation apply and the original is left untouched).
		 * @param webClientBuilder the builder
		 * @return this builder
		 */
		public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
			this.webClientBuilder = Objects.requireNonNull(webClientBuilder, "webClientBuilder");
			return this;
		}

		/**
		 * Use a connector made elsewhere instead of the client's own, which carries the pool,
		 * connect timeout and HTTP/2 settings. The caller keeps ownership: {@link #close()} leaves
		 * it open.
		 * @param connector the connector
		 * @return this builder
		 */
		public Builder clientConnector(ClientHttpConnector connector) {
			this.connector = Objects.requireNonNull(connector, "connector");
			return this;
		}

		/**
		 * Derive the wire mapper from an application's {@link JsonMapper}: its modules apply,
		 * while field naming, null handling and unknown-field tolerance stay pinned to the wire.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * The scheduler for time limits and retry backoff ({@code Schedulers.parallel()} by
		 * default); tests pass a virtual-time scheduler.
		 * @param timer the scheduler
		 * @return this builder
		 */
		public Builder timer(Scheduler timer) {
			this.timer = Objects.requireNonNull(timer, "timer");
			return this;
		}

		/**
		 * Observe every operation (one observation per call or stream, retries included) with
		 * Micrometer: metrics through the registry's handlers, spans when tracing is on.
		 * @param observationRegistry the registry
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * Name observations and their key values differently from
		 * {@link ai.dedaluslabs.client.observation.DefaultChatObservationConvention}.
		 * @param observationConvention the convention
		 * @return this builder
		 */
		public Builder observationConvention(ChatObservationConvention observationConvention) {
			this.observationConvention = Objects.requireNonNull(observationConvention, "observationConvention");
			return this;
		}

		/**
		 * Make the connector from the client's own Reactor Netty {@link HttpClient} (which carries
		 * the stream-sized pool, the connect timeout and the HTTP/2 choice), for example with Spring
		 * Boot's {@code ClientHttpConnectorBuilder} to add an SSL bundle. The client still owns and
		 * closes the pool.
		 * @param connectorFactory makes a connector from the client's HTTP client
		 * @return this builder
		 */
		public Builder connectorFactory(Function<HttpClient, ClientHttpConnector> connectorFactory) {
			this.connectorFactory = Objects.requireNonNull(connectorFactory, "connectorFactory");
			return this;
		}

		private static TransportSettings transportSettings(DedalusClientOptions options) {
			List<@Nullable String> secrets = new ArrayList<>();
			secrets.add(options.apiKey());
			secrets.add(options.providerKey());
			secrets.addAll(options.headers().values());
			return new TransportSettings(options.baseUrl(), options.maxEventSize(),
					options.timeouts().connect(), Secrets.of(secrets));
		}

		/**
		 * Validate the settings and build the client.
		 * @return the client
		 * @throws DedalusException naming the setting at fault and how to fix it
		 */
		public DedalusClient build() {
			DedalusClientOptions options = options();
			JsonMapper mapper = WireJson.derive(this.jsonMapper);
			ConnectionProvider ownedPool = null;
			PoolGauges poolGauges = null;
			ClientHttpConnector clientConnector = this.connector;
			if (clientConnector == null) {
				PoolGauges gauges = new PoolGauges();
				poolGauges = gauges;
				ownedPool = ConnectionProvider.builder("dedalus")
					.maxConnections(options.pool().maxConnections())
					.pendingAcquireMaxCount(options.pool().maxPendingAcquires())
					.maxIdleTime(options.pool().maxIdleTime())
					.evictInBackground(options.pool().maxIdleTime())
					.metrics(true, () -> gauges)
					.build();
				// The client's headers (the API key among them) are the connection's, not Spring's
				// request's: WebClient's filters, its observation and its request logging (with
				// spring.http.codecs.log-request-details, every header's value) never see them, and an
				// open stream keeps no copy of them.
				HttpClient httpClient = httpClient(ownedPool, options)
					.headers((headers) -> clientHeaders(options).forEach(headers::set));
				httpClient.warmup().block();
				clientConnector = (this.connectorFactory != null) ? this.connectorFactory.apply(httpClient)
						: new ReactorClientHttpConnector(httpClient);
			}
			WebClient.Builder base = (this.webClientBuilder != null) ? this.webClientBuilder.clone() : WebClient.builder();
			base.clientConnector(clientConnector).baseUrl(options.baseUrl().toString());
			if (this.connector != null) {
				// An application's own connector: the headers can only go with each request.
				base.defaultHeaders((headers) -> clientHeaders(options).forEach(headers::set));
			}
			WebClient webClient = base.build();
			RetryPolicy retryPolicy = new RetryPolicy(() -> ThreadLocalRandom.current().nextDouble(),
					() -> ZonedDateTime.now(ZoneOffset.UTC));
			return new DedalusClient(options, new ApiTransport(webClient, transportSettings(options), mapper, retryPolicy, this.timer),
					mapper, new ChatObservations(this.observationRegistry, this.observationConvention), ownedPool,
					poolGauges);
		}

		/**
		 * Validate the settings without building a client.
		 * @return the options a client would use
		 * @throws DedalusException naming the setting at fault and how to fix it
		 */
		public DedalusClientOptions options() {
			if (this.apiKey == null || this.apiKey.isBlank()) {
				throw new DedalusException("No Dedalus API key is set: set the dedalus.api-key property or the "
						+ "DEDALUS_API_KEY environment variable (DedalusClient.builder().apiKey(...) in plain Java)");
			}
			requireHeaderSafe("dedalus.api-key", this.apiKey);
			if (this.providerKey != null) {
				requireHeaderSafe("dedalus.provider-key", this.providerKey);
			}
			this.headers.forEach((name, value) -> requireHeaderSafe("dedalus.headers." + name, value));
			if (this.defaultModel.isBlank()) {
				throw new DedalusException("dedalus.default-model must not be blank; use a model id such as "
						+ DedalusClientOptions.DEFAULT_MODEL);
			}
			try {
				return new DedalusClientOptions(this.apiKey.strip(), parseBaseUrl(this.baseUrl), this.defaultModel,
						this.provider, this.providerKey, this.headers, this.maxEventSize, this.timeouts, this.pool,
						this.http2, this.maxRetries, this.includeUsage);
			}
			catch (IllegalArgumentException ex) {
				throw new DedalusException(ex.getMessage(), ex);
			}
		}

		private static void requireHeaderSafe(String property, String value) {
			if (value.strip().chars().anyMatch((c) -> c < 0x20 || c == 0x7f)) {
				throw new DedalusException(property + " contains a line break or control character, which cannot be "
						+ "sent in an HTTP header; check how the value was copied");
			}
		}

		static URI parseBaseUrl(String value) {
			String text = value.strip();
			URI uri;
			try {
				uri = new URI(text);
			}
			catch (URISyntaxException ex) {
				throw new DedalusException("dedalus.base-url '" + text + "' is not a valid URL (" + ex.getReason()
						+ "); use an absolute URL such as " + DedalusClientOptions.DEFAULT_BASE_URL, ex);
			}
			String scheme = uri.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
					|| uri.getHost() == null) {
				throw new DedalusException("dedalus.base-url '" + text + "' is not an absolute http(s) URL; use one "
						+ "such as " + DedalusClientOptions.DEFAULT_BASE_URL);
			}
			if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				throw new DedalusException("dedalus.base-url '" + uri.getScheme() + "://" + uri.getHost()
						+ "...' must not carry user info, a query or a fragment; give just scheme, host, port and path");
			}
			String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
			while (path.endsWith("/")) {
				path = path.substring(0, path.length() - 1);
			}
			if (path.endsWith("/v1")) {
				path = path.substring(0, path.length() - 3);
			}
			return URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority() + path);
		}

		private static HttpClient httpClient(ConnectionProvider pool, DedalusClientOptions options) {
			Duration connect = options.timeouts().connect();
			HttpClient client = ConnectionHandle.track(HttpClient.create(pool)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connect.toMillis()))
				.compress(false));
			if (!options.http2()) {
				return client;
			}
			// HTTP/2 is negotiated by ALPN over TLS; in clear text it is offered as an upgrade.
			boolean secure = "https".equals(options.baseUrl().getScheme());
			return client.protocol(secure ? HttpProtocol.H2 : HttpProtocol.H2C, HttpProtocol.HTTP11);
		}

		/** The headers of every request, in the order they are set (a later one replaces an earlier). */
		private static Map<String, String> clientHeaders(DedalusClientOptions options) {
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put(HttpHeaders.AUTHORIZATION, "Bearer " + options.apiKey());
			if (options.provider() != null) {
				headers.put("X-Provider", options.provider());
			}
			if (options.providerKey() != null) {
				headers.put("X-Provider-Key", options.providerKey());
			}
			headers.put(HttpHeaders.USER_AGENT, "dedalus-java/" + Version.VALUE);
			headers.putAll(options.headers());
			return headers;
		}

	}

}
