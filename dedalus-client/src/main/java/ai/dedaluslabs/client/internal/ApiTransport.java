package ai.dedaluslabs.client.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.dedaluslabs.client.DedalusClientOptions;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP exchanges with the API on top of a {@link WebClient}: a streamed POST decoded as SSE,
 * and JSON requests. Every exchange is cold (nothing happens before subscription), bounded by the
 * configured time limits on Reactor timers, and fails only with the client's exception types.
 */
public final class ApiTransport {

	private static final MediaType EVENT_STREAM = MediaType.TEXT_EVENT_STREAM;

	private final WebClient webClient;

	private final DedalusClientOptions options;

	private final JsonMapper mapper;

	private final ChunkDecoder chunkDecoder;

	private final Scheduler timer;

	/**
	 * Create a transport.
	 * @param webClient a client whose base URL and default headers are already set
	 * @param options the client's settings
	 * @param mapper the wire mapper
	 * @param timer the scheduler for time limits
	 */
	public ApiTransport(WebClient webClient, DedalusClientOptions options, JsonMapper mapper, Scheduler timer) {
		this.webClient = webClient;
		this.options = options;
		this.mapper = mapper;
		this.chunkDecoder = new ChunkDecoder(mapper);
		this.timer = timer;
	}

	/**
	 * POST a body and decode the response as a stream of chunks.
	 * @param <T> the element type
	 * @param path the path, starting with {@code /v1}
	 * @param body the JSON body
	 * @param eventMapper what each event becomes
	 * @return the cold stream
	 */
	public <T> Flux<T> stream(String path, byte[] body, ChunkStreamDecoder.EventMapper<T> eventMapper) {
		return Flux.defer(() -> {
			ChunkStreamDecoder<T> decoder = new ChunkStreamDecoder<>(this.chunkDecoder, eventMapper,
					this.options.maxEventSize());
			Sinks.One<Boolean> headersArrived = Sinks.one();
			Flux<T> exchange = this.webClient.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.accept(EVENT_STREAM)
				.bodyValue(body)
				.exchangeToFlux((response) -> {
					headersArrived.tryEmitValue(Boolean.TRUE);
					if (!response.statusCode().is2xxSuccessful()) {
						return this.<T>statusError(response).flux();
					}
					MediaType contentType = response.headers().contentType().orElse(null);
					if (contentType != null && !EVENT_STREAM.isCompatibleWith(contentType)) {
						return Flux.<T>error(new MalformedResponseException("The API answered a streamed request with "
								+ contentType + " instead of text/event-stream; check that dedalus.base-url points at "
								+ "the Dedalus API (or a compatible one)"));
					}
					return idleLimited(response.body(BodyExtractors.toDataBuffers()))
						.<Object>concatMapIterable(decoder::feed, 1)
						.concatWith(Flux.defer(() -> Flux.fromIterable(decoder.finish())))
						.<T>handle(decoder::emit);
				});
			return limited(exchange, headersArrived);
		});
	}

	/**
	 * POST a JSON body and decode the JSON response.
	 * @param <R> the response type
	 * @param path the path, starting with {@code /v1}
	 * @param body the JSON body
	 * @param type the response type
	 * @return the cold response
	 */
	public <R> Mono<R> postJson(String path, byte[] body, Class<R> type) {
		return exchangeJson(type, (client) -> client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(body));
	}

	/**
	 * GET a JSON response.
	 * @param <R> the response type
	 * @param path the path, starting with {@code /v1}
	 * @param type the response type
	 * @return the cold response
	 */
	public <R> Mono<R> getJson(String path, Class<R> type) {
		return exchangeJson(type, (client) -> client.get().uri(path).accept(MediaType.APPLICATION_JSON));
	}

	private <R> Mono<R> exchangeJson(Class<R> type,
			java.util.function.Function<WebClient, WebClient.RequestHeadersSpec<?>> request) {
		return Mono.defer(() -> {
			Sinks.One<Boolean> headersArrived = Sinks.one();
			Flux<R> exchange = request.apply(this.webClient).exchangeToMono((response) -> {
				headersArrived.tryEmitValue(Boolean.TRUE);
				if (!response.statusCode().is2xxSuccessful()) {
					return statusError(response);
				}
				return readBody(response).map((bytes) -> decodeJson(bytes, type));
			}).flux();
			return limited(exchange, headersArrived).next();
		});
	}

	private <R> R decodeJson(byte[] bytes, Class<R> type) {
		try {
			JsonNode tree = this.mapper.readTree(bytes);
			if (tree != null && tree.isObject() && tree.has("error")) {
				ApiError error = ErrorBodies.fromNode(tree);
				throw new ai.dedaluslabs.client.error.StreamErrorException(error.type(), error.code(), error.message());
			}
			return this.mapper.treeToValue(tree, type);
		}
		catch (JacksonException ex) {
			throw new MalformedResponseException("The API sent a response that is not a valid "
					+ type.getSimpleName() + ": " + ChunkDecoder.quote(bytes, bytes.length), ex);
		}
	}

	private Mono<byte[]> readBody(ClientResponse response) {
		return DataBufferUtils.join(idleLimited(response.body(BodyExtractors.toDataBuffers())),
				this.options.maxEventSize())
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty(new byte[0]);
	}

	private <T> Mono<T> statusError(ClientResponse response) {
		int status = response.statusCode().value();
		Map<String, List<String>> headers = lowerCase(response.headers().asHttpHeaders());
		String requestId = response.headers().asHttpHeaders().getFirst("x-request-id");
		return readBody(response).onErrorReturn(MalformedResponseException.class, new byte[0]).flatMap((bytes) -> {
			String body = new String(bytes, StandardCharsets.UTF_8);
			return Mono.error(ApiStatusException.create(status, requestId, body, ErrorBodies.parse(this.mapper, body),
					headers));
		});
	}

	private static Map<String, List<String>> lowerCase(HttpHeaders headers) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		return copy;
	}

	private Flux<DataBuffer> idleLimited(Flux<DataBuffer> body) {
		Duration idle = this.options.timeouts().idle();
		return IdleWatchdog.watch(body, idle, this.timer, () -> new ApiTimeoutException("The API sent nothing for "
				+ Durations.format(idle) + ", the idle timeout; the connection is probably dead (raise dedalus.timeout.idle for "
				+ "models that think silently for longer)"));
	}

	private <T> Flux<T> limited(Flux<T> exchange, Sinks.One<Boolean> headersArrived) {
		Duration response = this.options.timeouts().response();
		// Whichever comes first wins: the timer fails the exchange, or the headers silence the timer.
		Mono<Void> headersDeadline = Mono.firstWithSignal(Mono.delay(response, this.timer)
			.then(Mono.<Boolean>error(() -> new ApiTimeoutException("No response headers arrived within " + Durations.format(response)
					+ ", the response timeout; raise dedalus.timeout.response if the API is slow to start"))),
				headersArrived.asMono())
			.then(Mono.never());
		Flux<T> limited = exchange.takeUntilOther(headersDeadline).onErrorMap(this::translate);
		Duration total = this.options.timeouts().total();
		if (total != null) {
			limited = limited.takeUntilOther(Mono.delay(total, this.timer)
				.then(Mono.error(() -> new ApiTimeoutException("The operation took longer than the total timeout of "
						+ Durations.format(total) + "; raise dedalus.timeout.total"))));
		}
		return limited;
	}

	private Throwable translate(Throwable failure) {
		return TransportErrors.translate(failure, this.options.baseUrl(), this.options.maxEventSize(),
				this.options.timeouts().connect());
	}

	/**
	 * The base URL requests go to, for messages.
	 * @return the base URL
	 */
	public URI baseUrl() {
		return this.options.baseUrl();
	}

	static @Nullable String header(ClientResponse response, String name) {
		return response.headers().asHttpHeaders().getFirst(name);
	}

}
