package ai.dedaluslabs.client;

import java.util.Objects;
import java.util.function.Supplier;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatCompletionStreamEvent;
import ai.dedaluslabs.client.chat.RawChatCompletion;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.internal.ApiTransport;
import ai.dedaluslabs.client.internal.CallSettings;
import ai.dedaluslabs.client.internal.ChatObservations;
import ai.dedaluslabs.client.internal.RequestBody;
import ai.dedaluslabs.client.internal.RequestEncoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chat completions, {@code POST /v1/chat/completions}, in three styles: {@link #create} blocks,
 * {@link #createAsync} returns a {@code Mono}, {@link #stream} returns a {@code Flux} of chunks.
 *
 * <p>
 * Each method validates its request when called (a {@code null} request fails at once) and fills
 * in the client's default model when the request names none.
 *
 * @since 0.1.0
 */
public final class ChatCompletions {

	private static final String PATH = "/v1/chat/completions";

	private final ApiTransport transport;

	private final RequestEncoder encoder;

	private final DedalusClientOptions options;

	private final ChatObservations observations;

	ChatCompletions(ApiTransport transport, JsonMapper mapper, DedalusClientOptions options,
			ChatObservations observations) {
		this.transport = transport;
		this.encoder = new RequestEncoder(mapper, options.defaultModel(), options.includeUsage());
		this.options = options;
		this.observations = observations;
	}

	/** The call's request bodies, one per subscription: see {@link RequestBody} for why. */
	private Supplier<RequestBody> bodies(ChatCompletionRequest request, boolean stream) {
		Objects.requireNonNull(request, "request");
		return RequestBody.bodies(() -> this.encoder.encode(request, stream));
	}

	private String requestModel(ChatCompletionRequest request) {
		return (request.model() != null) ? request.model().primaryId() : this.options.defaultModel();
	}

	private CallSettings settings(RequestOptions requestOptions) {
		return callSettings(this.options, requestOptions);
	}

	/** The client's retries and limits, overridden by a call's own options. */
	static CallSettings callSettings(DedalusClientOptions client, RequestOptions call) {
		Objects.requireNonNull(call, "requestOptions");
		int maxRetries = (call.maxRetries() != null) ? call.maxRetries() : client.maxRetries();
		Timeouts timeouts = (call.timeouts() != null) ? call.timeouts() : client.timeouts();
		return new CallSettings(maxRetries, timeouts.response(), timeouts.idle(), timeouts.total());
	}

	/**
	 * Create a completion and wait for it. For servlet and batch code; never call it on an
	 * event-loop thread (Reactor refuses), use {@link #createAsync} there.
	 * @param request the request
	 * @return the completion
	 * @throws ai.dedaluslabs.client.error.DedalusException on any failure, typed by cause
	 */
	public ChatCompletion create(ChatCompletionRequest request) {
		return create(request, RequestOptions.defaults());
	}

	/**
	 * {@link #create(ChatCompletionRequest)} with per-call retries and time limits.
	 * @param request the request
	 * @param options overrides of the client's settings
	 * @return the completion
	 */
	public ChatCompletion create(ChatCompletionRequest request, RequestOptions options) {
		return await(createAsync(request, options));
	}

	/**
	 * Create a completion. Nothing is sent until subscription; each subscription sends one
	 * request. Fails with {@link ai.dedaluslabs.client.error.ApiStatusException} (by status) for a
	 * non-2xx answer, {@link ai.dedaluslabs.client.error.ApiConnectionException} when the API
	 * cannot be reached, {@link ai.dedaluslabs.client.error.MalformedResponseException} for an
	 * undecodable answer.
	 * @param request the request
	 * @return the completion
	 */
	public Mono<ChatCompletion> createAsync(ChatCompletionRequest request) {
		return createAsync(request, RequestOptions.defaults());
	}

	/**
	 * {@link #createAsync(ChatCompletionRequest)} with per-call retries and time limits.
	 * @param request the request
	 * @param options overrides of the client's settings
	 * @return the completion
	 */
	public Mono<ChatCompletion> createAsync(ChatCompletionRequest request, RequestOptions options) {
		Supplier<RequestBody> bodies = bodies(request, false);
		String model = requestModel(request);
		CallSettings settings = settings(options);
		return Mono.defer(() -> this.observations.single(model,
				this.transport.postJson(PATH, bodies.get(), ChatCompletion.class, settings), (completion) -> completion));
	}

	/**
	 * Create a completion and keep its JSON exactly as received, for relaying without
	 * re-encoding (unknown fields included). Same contract as {@link #createAsync}.
	 * @param request the request
	 * @param options overrides of the client's settings
	 * @return the raw completion with its decoded form
	 */
	public Mono<RawChatCompletion> createRawAsync(ChatCompletionRequest request, RequestOptions options) {
		Supplier<RequestBody> bodies = bodies(request, false);
		String model = requestModel(request);
		CallSettings settings = settings(options);
		return Mono.defer(() -> this.observations.single(model,
				this.transport.postJsonRaw(PATH, bodies.get(), ChatCompletion.class, settings)
					.map((entry) -> new RawChatCompletion(entry.getKey(), entry.getValue())),
				RawChatCompletion::completion));
	}

	/**
	 * Stream a completion as chunks, as the API writes them.
	 *
	 * <ul>
	 * <li>Cold: nothing is sent until subscription, and each subscription sends a new request
	 * (and is billed).</li>
	 * <li>{@code stream: true} is set, and {@code stream_options.include_usage} unless the client
	 * was built with {@code includeUsage(false)} or the request sets its own stream options; the
	 * usage chunk then comes last, with empty {@code choices}.</li>
	 * <li>Backpressure reaches the socket: at most one network buffer is decoded ahead of demand,
	 * nothing is collected without bound.</li>
	 * <li>Cancelling (dispose, {@code take}, {@code timeout}, a closed browser) closes the
	 * connection at once, which stops generation upstream.</li>
	 * <li>{@code data: [DONE]} completes the stream. A stream that ends without it completes when
	 * every choice had a finish reason and fails with
	 * {@link ai.dedaluslabs.client.error.ApiConnectionException} otherwise.</li>
	 * <li>Retries: until 2xx response headers arrive, connection failures (including the
	 * connect and response timeouts) and HTTP 408, 409, 429 and 5xx are retried up to the
	 * client's {@code maxRetries} with backoff, under one {@code Idempotency-Key}; once a 2xx
	 * response has started nothing is retried, so no chunk is ever delivered twice.</li>
	 * <li>Before the first chunk: {@link ai.dedaluslabs.client.error.ApiStatusException} (by
	 * status), {@link ai.dedaluslabs.client.error.ApiConnectionException} or its
	 * {@link ai.dedaluslabs.client.error.ApiTimeoutException}. After chunks:
	 * {@link ai.dedaluslabs.client.error.StreamErrorException} for an error the API reports inside
	 * the stream, {@link ai.dedaluslabs.client.error.MalformedResponseException} for an
	 * undecodable or oversized event, {@code ApiConnectionException} for a cut connection, and
	 * {@code ApiTimeoutException} for a stall longer than the idle timeout. Every chunk that
	 * arrived before an error is delivered before it.</li>
	 * </ul>
	 * @param request the request
	 * @return the chunks
	 */
	public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
		return stream(request, RequestOptions.defaults());
	}

	/**
	 * {@link #stream(ChatCompletionRequest)} with per-call retries and time limits.
	 * @param request the request
	 * @param options overrides of the client's settings
	 * @return the chunks
	 */
	public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request, RequestOptions options) {
		Supplier<RequestBody> bodies = bodies(request, true);
		String model = requestModel(request);
		CallSettings settings = settings(options);
		return Flux.defer(() -> this.observations.stream(model,
				this.transport.stream(PATH, bodies.get(), (data, offset, length, chunk) -> chunk, settings),
				ChatCompletionChunk::model, ChatCompletionChunk::usage));
	}

	/**
	 * Stream a completion with each event's JSON text exactly as received, for relaying to a
	 * browser or an OpenAI-compatible front end without re-encoding. Same contract as
	 * {@link #stream}.
	 * @param request the request
	 * @return the raw events with their decoded chunks
	 */
	public Flux<RawChatCompletionChunk> streamRaw(ChatCompletionRequest request) {
		return streamRaw(request, RequestOptions.defaults());
	}

	/**
	 * {@link #streamRaw(ChatCompletionRequest)} with per-call retries and time limits.
	 * @param request the request
	 * @param options overrides of the client's settings
	 * @return the raw events with their decoded chunks
	 */
	public Flux<RawChatCompletionChunk> streamRaw(ChatCompletionRequest request, RequestOptions options) {
		Supplier<RequestBody> bodies = bodies(request, true);
		String model = requestModel(request);
		CallSettings settings = settings(options);
		return Flux.defer(() -> this.observations.stream(model,
				this.transport.stream(PATH, bodies.get(), this.transport.rawEvents(), settings),
				RawChatCompletionChunk::model, RawChatCompletionChunk::usage));
	}

	/**
	 * Stream a completion as typed events: text pieces, complete text, complete tool calls with
	 * parseable arguments, finish reasons and usage. Same transport contract as {@link #stream}.
	 * @param request the request
	 * @return the events
	 * @see ChatCompletionStreamEvent
	 */
	public Flux<ChatCompletionStreamEvent> streamEvents(ChatCompletionRequest request) {
		return ChatCompletionAccumulator.events(stream(request));
	}

	/**
	 * Stream a completion for blocking iteration. The request is sent when iteration starts;
	 * close the result (try-with-resources) to cancel it.
	 * @param request the request
	 * @return the stream to iterate
	 */
	public ChatCompletionStream createStreaming(ChatCompletionRequest request) {
		return new ChatCompletionStream(stream(request).toStream(1));
	}

	static <T> T await(Mono<T> result) {
		T value = result.block();
		if (value == null) {
			throw new ai.dedaluslabs.client.error.MalformedResponseException("The API answered with an empty body");
		}
		return value;
	}

}
