package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forwards a stream of chunks to a browser as Server-Sent Events in one line, from Spring MVC or
 * WebFlux:
 *
 * <pre class="code">
 * &#64;GetMapping("/chat")
 * SseEmitter chat(&#64;RequestParam String prompt) {
 *     return forwarder.toSseEmitter(client.chat().completions().stream(request(prompt)));
 * }
 * </pre>
 *
 * <p>
 * Wire format, OpenAI-compatible so existing front ends work: one {@code data:} event per chunk
 * carrying the chunk's JSON, then {@code data: [DONE]}. On failure one {@code event: error} with
 * {@code data: {"error":{"type":...,"message":...}}} (safe text: no key, no stack trace, no
 * internal detail) and the stream ends. A {@code : keepalive} comment whenever nothing was written
 * for {@code dedalus.sse.heartbeat}. Text never breaks an event: every line end in the text
 * becomes a new {@code data:} line, so {@code "\n\ndata: x"} arrives as text, not as an event.
 *
 * <p>
 * When the browser goes away the upstream request is cancelled, which stops the model: at once on
 * WebFlux/Netty; on a servlet container at the next write, so within one heartbeat interval.
 * A page must close its {@code EventSource} on {@code [DONE]}, or the browser reconnects and asks
 * again.
 *
 * @since 0.1.0
 */
public class DedalusSseForwarder {

	private static final String CACHE_CONTROL = CacheControl.noCache().getHeaderValue();

	private final SseFrames frames;

	private final JsonMapper mapper;

	private final @Nullable Duration timeout;

	private final Scheduler writer;

	/**
	 * Create a forwarder.
	 * @param mapper the wire mapper, for writing chunks as JSON
	 * @param heartbeat the longest silence before a {@code :} comment is written
	 * @param timeout the longest a forwarded stream may last, or {@code null} for no limit
	 * @param timer the scheduler for heartbeats and the time limit (virtual time in tests)
	 */
	public DedalusSseForwarder(JsonMapper mapper, Duration heartbeat, @Nullable Duration timeout, Scheduler timer) {
		this.mapper = Objects.requireNonNull(mapper, "mapper");
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("dedalus.sse.heartbeat must be positive, but was " + heartbeat);
		}
		this.timeout = timeout;
		this.frames = new SseFrames(mapper, heartbeat, timeout, timer);
		this.writer = Schedulers.boundedElastic();
	}

	/**
	 * Forward chunks to a Spring MVC {@link SseEmitter}; each chunk is written as its JSON.
	 * @param chunks the stream, subscribed once by this call
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toSseEmitter(Flux<ChatCompletionChunk> chunks) {
		return emitter(this.frames.frames(chunks, this::jsonFrame, SseFrame.DONE));
	}

	/**
	 * Forward raw chunks to a Spring MVC {@link SseEmitter}, each event's JSON exactly as the API
	 * sent it.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toSseEmitterRaw(Flux<RawChatCompletionChunk> chunks) {
		return emitter(this.frames.frames(chunks, (raw) -> new SseFrame.Data(List.of(raw.json())), SseFrame.DONE));
	}

	/**
	 * Forward just the text of the first choice to a Spring MVC {@link SseEmitter}, for the
	 * simplest pages: {@code es.onmessage = (e) => out.textContent += e.data}. The end is an
	 * {@code event: done}, so {@code onmessage} never sees it.
	 * @param chunks the stream, subscribed once by this call
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toTextSseEmitter(Flux<ChatCompletionChunk> chunks) {
		return emitter(this.frames.frames(chunks, DedalusSseForwarder::textFrame, SseFrame.NAMED_DONE));
	}

	/**
	 * Forward chunks as {@link ServerSentEvent}s, for WebFlux (or Spring MVC), with the headers set:
	 * {@code Content-Type: text/event-stream}, {@code Cache-Control: no-cache},
	 * {@code X-Accel-Buffering: no}.
	 * @param chunks the stream, subscribed when the response is written
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toServerSentEvents(Flux<ChatCompletionChunk> chunks) {
		return response(this.frames.frames(chunks, this::jsonFrame, SseFrame.DONE));
	}

	/**
	 * Forward raw chunks as {@link ServerSentEvent}s, each event's JSON exactly as the API sent it.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toServerSentEventsRaw(Flux<RawChatCompletionChunk> chunks) {
		return response(this.frames.frames(chunks, (raw) -> new SseFrame.Data(List.of(raw.json())), SseFrame.DONE));
	}

	/**
	 * Forward just the text of the first choice as {@link ServerSentEvent}s (see
	 * {@link #toTextSseEmitter}).
	 * @param chunks the stream, subscribed when the response is written
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toTextServerSentEvents(Flux<ChatCompletionChunk> chunks) {
		return response(this.frames.frames(chunks, DedalusSseForwarder::textFrame, SseFrame.NAMED_DONE));
	}

	private SseEmitter emitter(Flux<SseFrame> frames) {
		Long timeoutMillis = (this.timeout != null) ? this.timeout.plusSeconds(5).toMillis() : null;
		return SseEmitterBridge.emit(frames, timeoutMillis, this.writer);
	}

	private static ResponseEntity<Flux<ServerSentEvent<String>>> response(Flux<SseFrame> frames) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", CACHE_CONTROL)
			.header("X-Accel-Buffering", "no")
			.body(frames.map(DedalusSseForwarder::serverSentEvent));
	}

	private static ServerSentEvent<String> serverSentEvent(SseFrame frame) {
		// Spring's encoder writes "data:" and each \n-separated line; a space in front of every line
		// (which SSE readers remove) keeps a leading space of the text itself.
		if (frame instanceof SseFrame.Data data) {
			return ServerSentEvent.builder(" " + String.join("\n ", data.lines())).build();
		}
		if (frame instanceof SseFrame.Done done) {
			ServerSentEvent.Builder<String> event = ServerSentEvent.builder(" [DONE]");
			return (done.named() ? event.event("done") : event).build();
		}
		if (frame instanceof SseFrame.Error error) {
			return ServerSentEvent.builder(" " + error.json()).event("error").build();
		}
		return ServerSentEvent.<String>builder().comment("keepalive").build();
	}

	private SseFrame jsonFrame(ChatCompletionChunk chunk) {
		return new SseFrame.Data(List.of(this.mapper.writeValueAsString(chunk)));
	}

	private static @Nullable SseFrame textFrame(ChatCompletionChunk chunk) {
		for (ChatCompletionChunk.Choice choice : chunk.choices()) {
			String content = choice.delta().content();
			if (choice.index() == 0 && content != null && !content.isEmpty()) {
				return SseFrames.textFrame(content);
			}
		}
		return null;
	}

}
