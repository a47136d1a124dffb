package ai.dedaluslabs.spring.web.reactive;

import java.util.Objects;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.SseBytes;
import ai.dedaluslabs.spring.web.SseFrame;
import ai.dedaluslabs.spring.web.SseFrames;
import ai.dedaluslabs.spring.web.resume.ResumableStreams;
import io.netty.buffer.ByteBufAllocator;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Forwards a stream of chunks to a browser as {@link ServerSentEvent}s, for WebFlux (and usable
 * from Spring MVC, which writes a {@code Flux} too):
 *
 * <pre class="code">
 * &#64;GetMapping("/chat")
 * ResponseEntity&lt;Flux&lt;ServerSentEvent&lt;String&gt;&gt;&gt; chat(&#64;RequestParam String prompt) {
 *     return forwarder.toServerSentEventsRaw(client.chat().completions().streamRaw(request(prompt)));
 * }
 * </pre>
 *
 * <p>
 * Wire format, OpenAI-compatible so existing front ends work: one {@code data:} event per chunk
 * carrying the chunk's JSON, then {@code data: [DONE]}. On failure one {@code event: error} whose
 * data is an OpenAI error body (safe text: no key, no stack trace), and the stream ends. A
 * {@code : keepalive} comment whenever nothing was written for {@code dedalus.sse.heartbeat}. The
 * response carries {@code Content-Type: text/event-stream}, {@code Cache-Control: no-cache} and
 * {@code X-Accel-Buffering: no}.
 *
 * <p>
 * When the browser goes away, Netty notices at once and the upstream request is cancelled, which
 * stops the model. The raw methods relay each event's JSON exactly as the API sent it;
 * {@link #toEventStreamRaw} writes it as the API's own bytes, never decoded to text, which is the
 * fastest path and the one to prefer. A page must close its
 * {@code EventSource} on {@code [DONE]}, or the browser reconnects and asks again.
 *
 * <p>
 * Each body is one response's: it can be subscribed once (a second subscription would send the
 * request upstream again, and fails instead), and once subscribed it keeps nothing of the
 * caller's {@code Flux} assembly, so an open response does not keep the request.
 *
 * @since 0.1.0
 */
public class DedalusServerSentEventForwarder {

	private static final String CACHE_CONTROL = CacheControl.noCache().getHeaderValue();

	/**
	 * Each event is written into a pooled direct buffer of Netty's default allocator (the one
	 * Reactor Netty's server uses unless configured otherwise), straight from the API's bytes: the
	 * server writes it to the socket as it is. A heap buffer was copied into such a buffer anyway by
	 * the native transport, after an array and two wrappers per chunk had been made for it. The web
	 * server releases each buffer once written or dropped; other servers read it through its NIO
	 * view and release it too. Netty is always present: it is the client's transport.
	 */
	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final SseFrames frames;

	/**
	 * Create a forwarder.
	 * @param frames the frame source, with the heartbeat and time limit
	 */
	public DedalusServerSentEventForwarder(SseFrames frames) {
		this.frames = Objects.requireNonNull(frames, "frames");
	}

	/**
	 * Forward chunks, each written as its JSON.
	 * @param chunks the stream, subscribed when the response is written
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toServerSentEvents(Flux<ChatCompletionChunk> chunks) {
		return response(this.frames.chunks(chunks));
	}

	/**
	 * Forward raw chunks, each event's JSON exactly as the API sent it.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toServerSentEventsRaw(Flux<RawChatCompletionChunk> chunks) {
		return response(this.frames.raw(chunks));
	}

	/**
	 * Forward raw chunks as bytes: each event's JSON goes out as the bytes the API sent, without
	 * being decoded to text, wrapped in a {@link ServerSentEvent} and encoded again. The wire format
	 * is the same as {@link #toServerSentEventsRaw}'s; this is the leanest way to relay a stream,
	 * and the one to use on WebFlux. (On Spring MVC use
	 * {@code DedalusSseEmitterForwarder.toSseEmitterRaw}, which writes the same bytes.)
	 *
	 * <pre class="code">
	 * &#64;GetMapping("/chat")
	 * ResponseEntity&lt;Flux&lt;DataBuffer&gt;&gt; chat(&#64;RequestParam String prompt) {
	 *     return forwarder.toEventStreamRaw(client.chat().completions().streamRaw(request(prompt)));
	 * }
	 * </pre>
	 * Declare the handler's return type as {@code ResponseEntity<Flux<DataBuffer>>} (or a
	 * {@code Mono} of it), not {@code ResponseEntity<?>}: WebFlux picks the body's writer by its
	 * declared element type, and for {@code text/event-stream} an unknown element type goes to the
	 * {@code ServerSentEvent} writer, which would wrap each buffer in an event of its own.
	 * <p>
	 * The buffers are pooled, like those of WebFlux's own encoders: the server releases each one it
	 * writes or drops. Code that takes them from the body itself (a test, say) releases them with
	 * {@code DataBufferUtils.release}, or reads the body with {@code DataBufferUtils.join}.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the response to return from a WebFlux controller
	 */
	public ResponseEntity<Flux<DataBuffer>> toEventStreamRaw(Flux<RawChatCompletionChunk> chunks) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", CACHE_CONTROL)
			.header("X-Accel-Buffering", "no")
			.body(rawBytes(chunks));
	}

	/**
	 * {@link #toEventStreamRaw} for a functional endpoint: the same bytes and headers, as the
	 * {@link ServerResponse} a {@code HandlerFunction} returns.
	 *
	 * <pre class="code">
	 * &#64;Bean
	 * RouterFunction&lt;ServerResponse&gt; chat(DedalusClient client, DedalusServerSentEventForwarder forwarder) {
	 *     return RouterFunctions.route()
	 *         .GET("/chat", (serverRequest) -&gt; forwarder.toServerResponseRaw(
	 *             client.chat().completions().streamRaw(request(serverRequest.queryParam("prompt").orElse("")))))
	 *         .build();
	 * }
	 * </pre>
	 * Built directly rather than from {@link #toEventStreamRaw}'s {@code ResponseEntity}: copying
	 * one {@code HttpHeaders} into another builds a case-insensitive copy of the names first, about
	 * 1 KiB for every response.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the response to return from a handler function
	 */
	public Mono<ServerResponse> toServerResponseRaw(Flux<RawChatCompletionChunk> chunks) {
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", CACHE_CONTROL)
			.header("X-Accel-Buffering", "no")
			.body(BodyInserters.fromDataBuffers(rawBytes(chunks)));
	}

	private Flux<DataBuffer> rawBytes(Flux<RawChatCompletionChunk> chunks) {
		return this.frames.raw(chunks).map(DedalusServerSentEventForwarder::bytes);
	}

	private static DataBuffer bytes(SseFrame frame) {
		return BUFFERS.wrap(SseBytes.of(frame, BUFFERS.getByteBufAllocator()));
	}

	/**
	 * Forward just the text of the first choice, for the simplest pages:
	 * {@code es.onmessage = (e) => out.textContent += e.data}. The end is an {@code event: done},
	 * so {@code onmessage} never sees it.
	 * @param chunks the stream, subscribed when the response is written
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toTextServerSentEvents(Flux<ChatCompletionChunk> chunks) {
		return response(this.frames.text(chunks));
	}

	/**
	 * Forward a resumable stream: every event with its SSE {@code id:}, and the stream's id in the
	 * {@code Dedalus-Stream-Id} header. The browser leaving stops only this reader; the generation
	 * goes on for the grace period, so that a reconnect with {@code Last-Event-ID} continues it.
	 * @param session the stream, from {@link ResumableStreams#open}
	 * @return the response to return from a controller
	 */
	public ResponseEntity<Flux<ServerSentEvent<String>>> toServerSentEventsResumable(
			ResumableStreams.Session session) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", CACHE_CONTROL)
			.header("X-Accel-Buffering", "no")
			.header(ResumableStreams.STREAM_ID_HEADER, session.streamId())
			.body(session.frames().map(DedalusServerSentEventForwarder::serverSentEvent));
	}

	private static ResponseEntity<Flux<ServerSentEvent<String>>> response(Flux<SseFrame> frames) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", CACHE_CONTROL)
			.header("X-Accel-Buffering", "no")
			.body(frames.map(DedalusServerSentEventForwarder::serverSentEvent));
	}

	private static ServerSentEvent<String> serverSentEvent(SseFrame frame) {
		if (frame instanceof SseFrame.Identified identified) {
			ServerSentEvent<String> event = serverSentEvent(identified.frame());
			ServerSentEvent.Builder<String> withId = ServerSentEvent.builder(event.data()).id(identified.id());
			return (event.event() != null) ? withId.event(event.event()).build() : withId.build();
		}
		// Spring's encoder writes "data:" and each \n-separated line; a space in front of every line
		// (which SSE readers remove) keeps a leading space of the text itself.
		if (frame instanceof SseFrame.Raw raw) {
			return ServerSentEvent.builder(" " + raw.chunk().json()).build();
		}
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

}
