package ai.dedaluslabs.client.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.internal.format.Durations;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP exchanges with the API on top of a {@link WebClient}: a streamed POST decoded as SSE,
 * and JSON requests. Every exchange is cold (nothing happens before subscription), retried until
 * a 2xx response starts (never after), bounded by the time limits on Reactor timers, and fails
 * only with the client's exception types.
 */
public final class ApiTransport {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final Log logger = LogFactory.getLog(ApiTransport.class);

	/**
	 * The request attribute WebClient's {@code http.client.requests} observation reads the URI
	 * template from ({@code DefaultWebClient.URI_TEMPLATE_ATTRIBUTE}, not public): set with the
	 * request's prebuilt URI, so that the observation's {@code uri} tag stays the path.
	 */
	private static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	private final WebClient webClient;

	private final TransportSettings settings;

	private final JsonMapper mapper;

	private final ChunkDecoder chunkDecoder;

	private final RawEvents rawEvents;

	private final RetryPolicy retryPolicy;

	private final Scheduler timer;

	private final DefaultUriBuilderFactory uris;

	/**
	 * Each path's URI and template, built once: {@code uri(String)} parses the base URL and the
	 * path, encodes and joins them, and builds the template's text again, for every request (about
	 * 4 KB of garbage and 1.6 µs of CPU each, compiled).
	 */
	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	/**
	 * Create a transport.
	 * @param webClient a client whose base URL and default headers are already set
	 * @param settings what the transport needs of the client's settings
	 * @param mapper the wire mapper
	 * @param retryPolicy what to retry and how long to wait
	 * @param timer the scheduler for time limits and backoff
	 */
	public ApiTransport(WebClient webClient, TransportSettings settings, JsonMapper mapper, RetryPolicy retryPolicy,
			Scheduler timer) {
		this.webClient = webClient;
		this.settings = settings;
		this.mapper = mapper;
		this.chunkDecoder = new ChunkDecoder(mapper, settings.secrets());
		this.chunkDecoder.warmUp();
		this.rawEvents = new RawEvents(this.chunkDecoder::decodeChecked);
		this.retryPolicy = retryPolicy;
		this.timer = timer;
		// As WebClient.Builder.baseUrl builds its own factory; the client's paths are constants
		// without variables, so both build the same URI.
		this.uris = new DefaultUriBuilderFactory(settings.baseUrl().toString());
	}

	/**
	 * What each event of a raw stream becomes: its bytes, with records made on first use.
	 * @return the mapper for {@link #stream}
	 */
	public EventMapper<RawChatCompletionChunk> rawEvents() {
		return this.rawEvents;
	}

	/**
	 * POST a body and decode the response as a stream of chunks.
	 * @param <T> the element type
	 * @param path the path, starting with {@code /v1}
	 * @param body the JSON body
	 * @param eventMapper what each event becomes
	 * @param settings retries and time limits for this call
	 * @return the cold stream
	 */
	public <T> Flux<T> stream(String path, RequestBody body, EventMapper<T> eventMapper,
			CallSettings settings) {
		// [DONE] completes the caller's stream here, outside the exchange, which goes on reading the
		// rest of the body so the connection can go back to the pool.
		return Flux.deferContextual((context) -> {
			AcceptedStream<?> waiting = context.getOrDefault(AcceptedStream.KEY, null);
			if (waiting != null) {
				waiting.reachedTransport();
			}
			return ChunkStreamDecoder.completeAtEnd(call(settings, body, (attempt) -> post(path,
					MediaType.TEXT_EVENT_STREAM, attempt)
				.exchangeToFlux((response) -> {
					if (!attempt.headersArrived(response.statusCode().is2xxSuccessful())) {
						// Read at once, asked or not: a start waits for this error without asking for elements.
						return this.<Object>statusError(response, settings).ignoreElement().flux();
					}
					MediaType contentType = response.headers().contentType().orElse(null);
					if (contentType != null && !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType)) {
						return Flux.<Object>error(new MalformedResponseException("The API answered a streamed request "
								+ "with " + contentType + " instead of text/event-stream; check that dedalus.base-url "
								+ "points at the Dedalus API (or a compatible one)"));
					}
					// Only a response that is the operation's own: one past the headers limit is failing.
					if (waiting != null && attempt.committed()) {
						waiting.accepted();
					}
					ChunkStreamDecoder<T> decoder = new ChunkStreamDecoder<>(this.chunkDecoder, eventMapper,
							this.settings.maxEventSize());
					return decoder.decode(idleLimited(response.body(BodyExtractors.toDataBuffers()), settings));
				})));
		});
	}

	/**
	 * POST a JSON body and decode the JSON response.
	 * @param <R> the response type
	 * @param path the path, starting with {@code /v1}
	 * @param body the JSON body
	 * @param type the response type
	 * @param settings retries and time limits for this call
	 * @return the cold response
	 */
	public <R> Mono<R> postJson(String path, RequestBody body, Class<R> type, CallSettings settings) {
		return call(settings, body, (attempt) -> post(path, MediaType.APPLICATION_JSON, attempt)
			.exchangeToMono((response) -> jsonResponse(response, type, attempt, settings))
			.flux()).next();
	}

	/**
	 * POST a JSON body and return the response body as received, with its decoded form.
	 * @param <R> the decoded type
	 * @param path the path, starting with {@code /v1}
	 * @param body the JSON body
	 * @param type the decoded type
	 * @param settings retries and time limits for this call
	 * @return the cold response: the raw JSON text and the decoded value
	 */
	public <R> Mono<Map.Entry<String, R>> postJsonRaw(String path, RequestBody body, Class<R> type, CallSettings settings) {
		return call(settings, body, (attempt) -> post(path, MediaType.APPLICATION_JSON, attempt)
			.exchangeToMono((response) -> {
				if (!attempt.headersArrived(response.statusCode().is2xxSuccessful())) {
					return this.<Map.Entry<String, R>>statusError(response, settings);
				}
				return readBody(response, settings)
					.map((bytes) -> Map.entry(new String(bytes, StandardCharsets.UTF_8), decodeJson(bytes, type)));
			})
			.flux()).next();
	}

	/**
	 * GET a JSON response.
	 * @param <R> the response type
	 * @param path the path, starting with {@code /v1}
	 * @param type the response type
	 * @param settings retries and time limits for this call
	 * @return the cold response
	 */
	public <R> Mono<R> getJson(String path, Class<R> type, CallSettings settings) {
		Target target = target(path);
		return call(settings, null, (attempt) -> this.webClient.get()
			.uri(target.uri())
			.attribute(URI_TEMPLATE_ATTRIBUTE, target.template())
			.httpRequest((request) -> request.getHeaders().set(HttpHeaders.ACCEPT, JSON))
			.exchangeToMono((response) -> jsonResponse(response, type, attempt, settings))
			.flux()).next();
	}

	/**
	 * The request of an attempt. Its body is read from the attempt when it is written, never held
	 * by the request: WebClient's observation keeps the request for as long as the response lasts,
	 * and a conversation's body (often tens of KiB) would stay with every open stream. Its headers
	 * go straight to the HTTP request as it is written, for the same reason: set on the request
	 * spec, they would be copied into two header maps that every open stream keeps (about 1 KiB).
	 */
	private WebClient.RequestHeadersSpec<?> post(String path, MediaType accept, Attempt attempt) {
		String acceptValue = accept.toString();
		Target target = target(path);
		return this.webClient.post()
			.uri(target.uri())
			.attribute(URI_TEMPLATE_ATTRIBUTE, target.template())
			.httpRequest((request) -> {
				HttpHeaders headers = request.getHeaders();
				headers.set(HttpHeaders.CONTENT_TYPE, JSON);
				headers.setContentLength(attempt.body().length);
				headers.set(HttpHeaders.ACCEPT, acceptValue);
				headers.set(IDEMPOTENCY_KEY, attempt.idempotencyKey());
			})
			.body((message, context) -> message
				.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(attempt.body()))));
	}

	/**
	 * One logical operation: attempts with the response-headers limit, retried while the policy
	 * allows and no 2xx response has started, all under the total limit. Each attempt's connection
	 * is closed as soon as the attempt ends early, with an error or a cancel, in whatever phase:
	 * before the connection exists (it is closed on arrival), before the headers, or mid-body.
	 * Cancelling alone is not enough, because after an error WebClient tries to drain the body for
	 * reuse, which never ends while the server keeps streaming or stays silent. A body read to its
	 * end keeps its connection for the pool.
	 */
	private <T> Flux<T> call(CallSettings settings, @Nullable RequestBody body, Function<Attempt, Flux<T>> exchange) {
		return Flux.defer(() -> totalLimited(attempt(settings, exchange,
				new Attempt(idempotencyKey(), (body != null) ? body.take() : null), 0), settings));
	}

	/**
	 * One attempt and, when it fails in a way the policy retries before a 2xx response started, the
	 * next after the policy's delay. The retry is a resumption on error rather than
	 * {@code retryWhen}, which passes every element of the body through a serializing subscriber for
	 * as long as the body lasts; the chain is as deep as the retries allowed.
	 */
	private <T> Flux<T> attempt(CallSettings settings, Function<Attempt, Flux<T>> exchange, Attempt attempt,
			int retries) {
		return Flux.defer(() -> {
			ConnectionHandle connection = new ConnectionHandle();
			HeadersDeadline deadline = headersDeadline(settings);
			return deadline.apply(exchange.apply(attempt.start(deadline)), connection);
		}).onErrorResume((error) -> {
			Throwable failure = translate(error);
			if (attempt.committed() || retries >= settings.maxRetries() || !this.retryPolicy.isRetryable(failure)) {
				if (failure instanceof DedalusException dedalus) {
					dedalus.attempts(retries + 1);
				}
				return Flux.error(failure);
			}
			Duration delay = this.retryPolicy.delay(retries, failure);
			if (logger.isDebugEnabled()) {
				logger.debug("Retrying a Dedalus request (attempt " + (retries + 2) + " of " + (settings.maxRetries() + 1)
						+ ") in " + Durations.format(delay) + " after: " + failure.getMessage());
			}
			return Mono.delay(delay, this.timer).thenMany(attempt(settings, exchange, attempt, retries + 1));
		});
	}

	private Target target(String path) {
		Target target = this.targets.get(path);
		// Looked up first: the capturing function computeIfAbsent takes would be made on every call.
		return (target != null) ? target : this.targets.computeIfAbsent(path, (key) -> {
			UriBuilder builder = this.uris.uriString(key);
			return new Target(builder.build(), builder.toUriString());
		});
	}

	/** A path's URI and its template as WebClient's observation expects it. */
	private record Target(URI uri, String template) {
	}

	private <R> Mono<R> jsonResponse(ClientResponse response, Class<R> type, Attempt attempt, CallSettings settings) {
		if (!attempt.headersArrived(response.statusCode().is2xxSuccessful())) {
			return statusError(response, settings);
		}
		return readBody(response, settings).map((bytes) -> decodeJson(bytes, type));
	}

	private <R> R decodeJson(byte[] bytes, Class<R> type) {
		if (bytes.length == 0) {
			throw new MalformedResponseException("The API answered with an empty body where a "
					+ type.getSimpleName() + " was expected");
		}
		try {
			JsonNode tree = this.mapper.readTree(bytes);
			if (tree != null && tree.isObject() && tree.has("error")) {
				ApiError error = ErrorBodies.masked(ErrorBodies.fromNode(tree), this.settings.secrets());
				throw new StreamErrorException(error.type(), error.code(), error.message());
			}
			return this.mapper.treeToValue(tree, type);
		}
		catch (JacksonException ex) {
			throw new MalformedResponseException("The API sent a response that is not a valid "
					+ type.getSimpleName() + ": " + ChunkDecoder.quote(bytes, 0, bytes.length), ex);
		}
	}

	/** The body, with every configured secret masked: nothing the upstream echoes gets further. */
	private Mono<byte[]> readBody(ClientResponse response, CallSettings settings) {
		return Buffers.join(idleLimited(response.body(BodyExtractors.toDataBuffers()), settings),
				this.settings.maxEventSize()).map((bytes) -> {
					this.settings.secrets().maskInPlace(bytes, 0, bytes.length);
					return bytes;
				});
	}

	private <T> Mono<T> statusError(ClientResponse response, CallSettings settings) {
		int status = response.statusCode().value();
		Secrets secrets = this.settings.secrets();
		Map<String, List<String>> headers = lowerCase(response.headers().asHttpHeaders(), secrets);
		String requestId = secrets.mask(response.headers().asHttpHeaders().getFirst("x-request-id"));
		return readBody(response, settings).onErrorReturn(MalformedResponseException.class, new byte[0])
			.flatMap((bytes) -> {
				String body = new String(bytes, StandardCharsets.UTF_8);
				return Mono.error(ApiStatusException.create(status, requestId, body,
						ErrorBodies.masked(ErrorBodies.parse(this.mapper, body), secrets), headers));
			});
	}

	private static Map<String, List<String>> lowerCase(HttpHeaders headers, Secrets secrets) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT),
				values.stream().map(secrets::mask).toList()));
		return copy;
	}

	private Flux<DataBuffer> idleLimited(Flux<DataBuffer> body, CallSettings settings) {
		Duration idle = settings.idle();
		return IdleWatchdog.watch(body, idle, this.timer, () -> new ApiTimeoutException("The API sent nothing for "
				+ Durations.format(idle) + ", the idle timeout; the connection is probably dead (raise "
				+ "dedalus.timeout.idle for models that think silently for longer)"), DataBufferUtils::release);
	}

	/**
	 * A random version-4 UUID for the {@code Idempotency-Key} header. It must be unique, not secret,
	 * so it comes from {@link ThreadLocalRandom}: {@code UUID.randomUUID()} draws from the shared
	 * {@code SecureRandom}, whose lock every stream of a busy server would queue on.
	 */
	static String idempotencyKey() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

	private HeadersDeadline headersDeadline(CallSettings settings) {
		Duration response = settings.response();
		return new HeadersDeadline(response, this.timer, () -> new ApiTimeoutException("No response headers arrived within "
				+ Durations.format(response) + ", the response timeout; raise dedalus.timeout.response if the API is slow "
				+ "to start"));
	}

	private <T> Flux<T> totalLimited(Flux<T> operation, CallSettings settings) {
		Duration total = settings.total();
		if (total == null) {
			return operation;
		}
		return operation.takeUntilOther(Mono.delay(total, this.timer)
			.then(Mono.error(() -> new ApiTimeoutException("The operation took longer than the total timeout of "
					+ Durations.format(total) + "; raise dedalus.timeout.total"))));
	}

	private Throwable translate(Throwable failure) {
		return TransportErrors.translate(failure, this.settings.baseUrl(), this.settings.maxEventSize(),
				this.settings.connectTimeout());
	}

	/**
	 * The state shared by the attempts of one logical operation: its idempotency key, its body
	 * until a 2xx response starts (after which nothing is retried, and the body is let go), and
	 * whether one has.
	 */
	private static final class Attempt {

		private final String idempotencyKey;

		private volatile byte @Nullable [] body;

		private volatile boolean committed;

		private volatile @Nullable HeadersDeadline deadline;

		Attempt(String idempotencyKey, byte @Nullable [] body) {
			this.idempotencyKey = idempotencyKey;
			this.body = body;
		}

		byte[] body() {
			byte[] current = this.body;
			if (current == null) {
				// Only a committed operation lets its body go, and nothing is sent after that.
				throw new IllegalStateException("The request body was already sent and let go");
			}
			return current;
		}

		Attempt start(HeadersDeadline deadline) {
			this.deadline = deadline;
			return this;
		}

		String idempotencyKey() {
			return this.idempotencyKey;
		}

		boolean headersArrived(boolean successful) {
			HeadersDeadline current = this.deadline;
			// Too late: the attempt has already failed with the response timeout, and is not committed.
			boolean inTime = current == null || current.arrived();
			this.committed = successful && inTime;
			if (this.committed) {
				this.body = null;
			}
			return successful;
		}

		boolean committed() {
			return this.committed;
		}

	}

}
