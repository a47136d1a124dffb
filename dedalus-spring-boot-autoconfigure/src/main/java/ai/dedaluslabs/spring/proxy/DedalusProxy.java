package ai.dedaluslabs.spring.proxy;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.RequestOptions;
import ai.dedaluslabs.client.StreamStart;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.client.models.Model;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import ai.dedaluslabs.spring.web.RequestRefusedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The endpoint's logic, shared by Spring MVC and WebFlux: reads and checks a request, sends it
 * upstream with the server's credentials (the caller's own headers, {@code Authorization}
 * included, are never forwarded), and waits for the upstream status before answering, so an
 * upstream refusal reaches the caller with its status and an OpenAI-style body, while a stream is
 * answered as soon as the upstream accepted it (its response headers, before the model's first
 * token) and relayed event by event, each event's JSON as received.
 *
 * <p>
 * Usage is always requested upstream (so the metrics see it) and passed on only when the caller
 * asked for it with {@code stream_options.include_usage}.
 *
 * <p>
 * Public for the stack-specific controllers in {@code .servlet} and {@code .reactive}; an
 * application may call it from its own controller as well.
 *
 * @since 0.1.0
 */
public final class DedalusProxy {

	private static final Log logger = LogFactory.getLog(DedalusProxy.class);

	private final DedalusClient client;

	private final ProxyRules rules;

	private static final String COMPLETED = "completed";

	private static final String CANCELLED = "cancelled";

	private static final String FAILED = "failed";

	/** Compiled once: {@code at(String)} parses the pointer again for every request. */
	private static final JsonPointer INCLUDE_USAGE = JsonPointer.compile("/stream_options/include_usage");

	private final CallerGate gate;

	private final long maxRequestSize;

	private final int maxCompletionTokens;

	private final Duration bodyReadTimeout;

	/**
	 * Create the endpoint's logic with its state in this instance's memory and no token meter.
	 * @param client the client that calls the API with the server's credentials
	 * @param settings the owner's rules
	 */
	public DedalusProxy(DedalusClient client, ProxySettings settings) {
		this(client, settings, new MemoryProxyStore(), ProxyTokenMeter.NONE);
	}

	/**
	 * Create the endpoint's logic.
	 * @param client the client that calls the API with the server's credentials
	 * @param settings the owner's rules
	 * @param store where the per-caller limits and budgets are kept
	 * @param meter where the tokens each request cost are reported
	 */
	public DedalusProxy(DedalusClient client, ProxySettings settings, ProxyStore store, ProxyTokenMeter meter) {
		this.client = client;
		this.rules = new ProxyRules(settings, client.options().defaultModel());
		this.gate = new CallerGate(store, settings, meter);
		this.maxRequestSize = settings.maxRequestSize();
		this.maxCompletionTokens = settings.maxCompletionTokens();
		this.bodyReadTimeout = settings.bodyReadTimeout();
	}

	/**
	 * Whether a request's {@code Content-Type} is JSON, the only kind of body the endpoint reads: a
	 * body a cross-site form can send ({@code text/plain}, form-encoded, none) must not spend money
	 * without a CORS preflight.
	 * @param contentType the header's value, or {@code null}
	 * @return {@code true} for {@code application/json}, with or without parameters
	 */
	public static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return "application".equalsIgnoreCase(type.getType()) && "json".equalsIgnoreCase(type.getSubtype());
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * The answer to a body that is not JSON: 415 with an OpenAI error body.
	 * @return the answer
	 */
	public ProxyResult.Json unsupportedMediaType() {
		return ProxyResult.error(new OpenAiErrorBody(415, "The request body must be JSON, sent with Content-Type: "
				+ "application/json", "invalid_request_error", null, "unsupported_media_type"));
	}

	/**
	 * The largest request body accepted, {@code dedalus.proxy.max-request-size}.
	 * @return the limit in bytes
	 */
	public long maxRequestSize() {
		return this.maxRequestSize;
	}

	/**
	 * The longest a caller may take to send its body, {@code dedalus.proxy.body-read-timeout}.
	 * @return the limit
	 */
	public Duration bodyReadTimeout() {
		return this.bodyReadTimeout;
	}

	/**
	 * The answer to a body that did not arrive within {@link #bodyReadTimeout()}: 408 with an
	 * OpenAI error body.
	 * @return the answer
	 */
	public ProxyResult.Json bodyTooSlow() {
		return ProxyResult.error(new OpenAiErrorBody(408, "The request body did not arrive within "
				+ this.bodyReadTimeout.toMillis() + " ms", "invalid_request_error", null, "request_timeout"));
	}

	/**
	 * The answer to a body over {@link #maxRequestSize()}: 413 with an OpenAI error body.
	 * @return the answer
	 */
	public ProxyResult.Json tooLarge() {
		return ProxyResult.error(new OpenAiErrorBody(413, "The request body is larger than " + this.maxRequestSize
				+ " bytes, the limit of this endpoint", "invalid_request_error", null, "request_too_large"));
	}

	/**
	 * Answer {@code POST /v1/chat/completions} once the body has arrived, or with 408 when it has
	 * not within {@link #bodyReadTimeout()}.
	 * @param body the request body, as it is being read
	 * @param caller who is asking (the principal, else the remote address)
	 * @return the answer
	 */
	public Mono<ProxyResult> completions(Mono<byte[]> body, String caller) {
		return TimeLimit.of(body, this.bodyReadTimeout, BodyTooSlow::new)
			.flatMap((bytes) -> completions(bytes, caller))
			.onErrorResume(BodyTooSlow.class, (slow) -> Mono.just(bodyTooSlow()));
	}

	/** The body did not arrive in time: a signal within this class, never thrown outside it. */
	private static final class BodyTooSlow extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BodyTooSlow() {
			super("request body too slow", null, false, false);
		}

	}

	/**
	 * Answer {@code POST /v1/chat/completions}.
	 * @param body the request body
	 * @param caller who is asking (the principal, else the remote address)
	 * @return the answer
	 */
	public Mono<ProxyResult> completions(byte[] body, String caller) {
		if (body.length > this.maxRequestSize) {
			return Mono.just(tooLarge());
		}
		JsonNode json;
		try {
			json = WireJson.defaultMapper().readTree(body);
		}
		catch (JacksonException ex) {
			return Mono.just(ProxyResult.error(
					OpenAiErrorBody.invalidRequest("The request body is not valid JSON", null, "invalid_json")));
		}
		if (!json.isObject()) {
			return Mono.just(ProxyResult.error(
					OpenAiErrorBody.invalidRequest("The request body must be a JSON object", null, "invalid_request")));
		}
		OpenAiErrorBody refusal = this.rules.checkFields(json);
		if (refusal != null) {
			return Mono.just(ProxyResult.error(refusal));
		}
		ChatCompletionRequest request;
		try {
			request = ChatCompletionRequest.fromJson(json);
		}
		catch (IllegalArgumentException ex) {
			return Mono.just(ProxyResult.error(
					OpenAiErrorBody.invalidRequest(String.valueOf(ex.getMessage()), null, "invalid_request")));
		}
		refusal = this.rules.check(request);
		if (refusal != null) {
			return Mono.just(ProxyResult.error(refusal));
		}
		ChatCompletionRequest upstream = this.rules.apply(request);
		TokenTally tally = new TokenTally(body.length);
		long reservation = reservation(upstream, tally);
		Mono<ProxyResult> answer;
		if (!json.path("stream").asBoolean(false)) {
			answer = admitted(caller, reservation, upstream,
					(admitted, admission) -> complete(admitted, tally, admission));
		}
		else {
			boolean callerWantsUsage = json.at(INCLUDE_USAGE).asBoolean(false);
			answer = admitted(caller, reservation, upstream,
					(admitted, admission) -> stream(admitted, tally, admission, callerWantsUsage));
		}
		return answer.onErrorResume(RequestRefusedException.class,
				(refused) -> Mono.just(ProxyResult.refused(refused)));
	}

	/**
	 * The answer once the caller is admitted. The request is handed over, not kept: the operators
	 * of this chain stay reachable for as long as the response is written, and a lambda of theirs
	 * holding the request would keep the caller's conversation (often tens of KiB) for the whole
	 * stream. Each subscription hands over its own.
	 */
	private Mono<ProxyResult> admitted(String caller, long reservation, ChatCompletionRequest upstream,
			BiFunction<ChatCompletionRequest, CallerGate.Admission, Mono<ProxyResult>> answer) {
		return Mono.defer(() -> {
			AtomicReference<@Nullable ChatCompletionRequest> handedOver = new AtomicReference<>(upstream);
			return this.gate.admit(caller, reservation)
				.flatMap((admission) -> answer.apply(handOver(handedOver), admission));
		});
	}

	/** The request for the one admission of a subscription; nothing keeps it after. */
	private static ChatCompletionRequest handOver(AtomicReference<@Nullable ChatCompletionRequest> handedOver) {
		return Objects.requireNonNull(handedOver.getAndSet(null), "The request was handed over already");
	}

	/** A non-streamed request: counted like a stream, and cancelled upstream when its answer is. */
	private Mono<ProxyResult> complete(ChatCompletionRequest upstream, TokenTally tally,
			CallerGate.Admission admission) {
		return this.client.chat()
			.completions()
			.createRawAsync(upstream, RequestOptions.defaults())
			.<ProxyResult>map((raw) -> {
				tally.report(raw.completion().usage());
				admission.end(COMPLETED, tally);
				return new ProxyResult.Json(200, raw.json());
			})
			.onErrorResume((error) -> {
				admission.end(FAILED, chargeable(error) ? tally : TokenTally.NOTHING);
				return relayError(error);
			})
			.doOnCancel(() -> admission.end(CANCELLED, tally));
	}

	private Mono<ProxyResult> stream(ChatCompletionRequest upstream, TokenTally tally,
			CallerGate.Admission admission, boolean callerWantsUsage) {
		// Counted in the filter rather than a doOnNext: a doOn* subscriber keeps its publisher, and so
		// the client's whole assembly with the request in it, for as long as the stream lasts.
		Flux<RawChatCompletionChunk> chunks = this.client.chat()
			.completions()
			.streamRaw(upstream)
			.filter((raw) -> {
				tally.observe(raw);
				return callerWantsUsage || !isUsageOnly(raw);
			})
			.doFinally((signal) -> admission.end(outcome(signal), tally));
		// Answered once the upstream accepted the request, with its headers, not at its first chunk:
		// the status is known then, and the answer is built while the model thinks rather than in
		// the moment many streams' first chunks arrive together. What fails after that (an error
		// event first, the idle timeout) goes to the caller in the stream, as the upstream sent it.
		return StreamStart.whenAccepted(chunks).<ProxyResult>map(ProxyResult.Stream::new).onErrorResume((error) -> {
			admission.end(FAILED, chargeable(error) ? tally : TokenTally.NOTHING);
			return relayError(error);
		}).doFinally((signal) -> {
			// Not doOnCancel, for the reason above: this Mono stays reachable while the stream is written.
			if (signal == SignalType.CANCEL) {
				admission.end(CANCELLED, tally);
			}
		});
	}

	/** The most a request may cost: its input, estimated, and every choice's completion limit. */
	private long reservation(ChatCompletionRequest upstream, TokenTally tally) {
		Integer limit = (upstream.maxCompletionTokens() != null) ? upstream.maxCompletionTokens()
				: upstream.maxTokens();
		long completion = (limit != null) ? limit : this.maxCompletionTokens;
		Integer n = upstream.n();
		return tally.inputEstimate() + completion * Math.max(1, (n != null) ? n : 1);
	}

	/** An upstream that refused the request with a status did not bill it; anything else may have. */
	private static boolean chargeable(@Nullable Throwable error) {
		return !(error instanceof ApiStatusException status && status.statusCode() < 500);
	}

	private static String outcome(SignalType signal) {
		return switch (signal) {
			case ON_COMPLETE -> COMPLETED;
			case ON_ERROR -> FAILED;
			default -> CANCELLED;
		};
	}

	/**
	 * Stream a request the application built itself (say, from a chat page's prompt) under the
	 * endpoint's rules: the model must be allowed, the completion limit applies, and the caller's
	 * place is held for as long as the stream runs. A refusal is a {@link RequestRefusedException}
	 * before anything goes upstream, which the forwarders send as an {@code event: error} with the
	 * rule's code.
	 * @param request the request
	 * @param caller who is asking, as {@link #caller(Principal, String)} names it
	 * @return the raw stream, cold: the rules are checked and the place taken on subscription
	 */
	public Flux<RawChatCompletionChunk> streamFor(ChatCompletionRequest request, String caller) {
		return Flux.defer(() -> {
			OpenAiErrorBody refusal = this.rules.check(request);
			if (refusal != null) {
				return Flux.error(new RequestRefusedException(refusal));
			}
			ChatCompletionRequest upstream = this.rules.apply(request);
			TokenTally tally = new TokenTally(WireJson.defaultMapper().writeValueAsBytes(upstream).length);
			// Handed over, not captured, for the reason given at admitted().
			AtomicReference<@Nullable ChatCompletionRequest> handedOver = new AtomicReference<>(upstream);
			return this.gate.admit(caller, reservation(upstream, tally))
				.flatMapMany((admission) -> this.client.chat()
					.completions()
					.streamRaw(handOver(handedOver))
					.map(tally::counted)
					.doFinally((signal) -> admission.end(outcome(signal), tally)));
		});
	}

	/**
	 * Run any stream under the caller's limits, for answers that do not go through this class's own
	 * requests (a Spring AI {@code ChatClient} stream, say): the caller's place is held while the
	 * stream runs, and with a token budget the stream is admitted only while the budget lasts and
	 * charged what it reports, or {@code reserve} when it ends without reporting usage.
	 * @param <T> the element type
	 * @param caller who is asking, as {@link #caller(Principal, String)} names it
	 * @param reserve the most tokens the stream may cost (its input and completion limit)
	 * @param stream the stream, subscribed once admitted
	 * @param usageOf the running total of tokens an element reports, or {@code null} when it reports
	 * none; the last total reported is charged (Spring AI's tool-calling advisor reports the sum
	 * over its model calls on its last response)
	 * @return the guarded stream, cold; a refusal is a {@link RequestRefusedException}
	 */
	public <T> Flux<T> guard(String caller, long reserve, Flux<T> stream,
			Function<T, @Nullable Long> usageOf) {
		return Flux.defer(() -> {
			TokenTally tally = TokenTally.reserved(reserve);
			return this.gate.admit(caller, reserve)
				.flatMapMany((admission) -> stream.doOnNext((element) -> {
					Long total = usageOf.apply(element);
					if (total != null) {
						tally.reportTotal(total);
					}
				}).doFinally((signal) -> admission.end(outcome(signal), tally)));
		});
	}

	/**
	 * Who is asking, for the per-caller limits: the authenticated principal, else the remote
	 * address.
	 * @param principal the principal, or {@code null}
	 * @param remoteAddress the remote address
	 * @return the caller's key
	 */
	public static String caller(@Nullable Principal principal, String remoteAddress) {
		return (principal != null) ? "principal:" + principal.getName() : "address:" + remoteAddress;
	}

	/**
	 * Answer {@code GET /v1/models}: the upstream list filtered by the allowed models, or the
	 * allowed model ids when the upstream cannot be asked.
	 * @return the answer
	 */
	public Mono<ProxyResult> models() {
		return this.client.models()
			.listAsync()
			.map((models) -> models.stream().map(Model::id).filter(this.rules::allows).toList())
			.onErrorResume((error) -> Mono.just(this.rules.literalModels()))
			.map((ids) -> new ProxyResult.Json(200, modelList(ids)));
	}

	private static String modelList(List<String> ids) {
		ObjectNode list = WireJson.defaultMapper().createObjectNode();
		list.put("object", "list");
		ArrayNode data = list.putArray("data");
		for (String id : ids) {
			data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "dedalus");
		}
		return WireJson.defaultMapper().writeValueAsString(list);
	}

	private static boolean isUsageOnly(RawChatCompletionChunk raw) {
		return raw.choiceCount() == 0 && raw.usage() != null;
	}

	private Mono<ProxyResult> relayError(Throwable error) {
		if (!(error instanceof DedalusException)) {
			logger.warn("Dedalus proxy request failed", error);
		}
		return Mono.just(ProxyResult.error(OpenAiErrorBody.of(error)));
	}

}
