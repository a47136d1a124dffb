package ai.dedaluslabs.spring.web.servlet;

import java.io.IOException;
import java.util.Objects;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.SseFrame;
import ai.dedaluslabs.spring.web.SseFrames;
import ai.dedaluslabs.spring.web.resume.ResumableStreams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Forwards a stream of chunks to a browser through a Spring MVC {@link SseEmitter}, in one line:
 *
 * <pre class="code">
 * &#64;GetMapping("/chat")
 * SseEmitter chat(&#64;RequestParam String prompt) {
 *     return forwarder.toSseEmitterRaw(client.chat().completions().streamRaw(request(prompt)));
 * }
 * </pre>
 *
 * <p>
 * The wire format is the one of every forwarder of this starter: one {@code data:} event per
 * chunk carrying the chunk's JSON, then {@code data: [DONE]}; on failure one {@code event: error}
 * with an OpenAI error body (safe text: no key, no stack trace), and the stream ends.
 *
 * <p>
 * A servlet container learns that a browser went away only when a write fails, and the first
 * write after a normal close (a FIN) still succeeds: so while the model is silent the heartbeat
 * comment is written after half of {@code dedalus.sse.heartbeat}, and a closed tab is noticed, and
 * the upstream request cancelled, within one heartbeat interval however the browser closed. A
 * disconnect is ordinary and logged at DEBUG only. The raw methods relay each event's JSON as the
 * bytes the API sent (nothing is decoded and re-encoded), which is the path to prefer.
 *
 * <p>
 * Frames are written with servlet non-blocking I/O once Spring MVC has started async processing
 * for the returned emitter: no thread waits on a browser, none is held per stream, and frames are
 * requested only as fast as the connection takes them. The stream is subscribed then, so an
 * emitter that is never returned to Spring MVC makes no upstream request. Once subscribed, the
 * response keeps nothing of the caller's {@code Flux} assembly, so an open stream does not keep
 * the request.
 *
 * @since 0.1.0
 */
public class DedalusSseEmitterForwarder {

	private final SseFrames frames;

	private final Scheduler writer;

	/**
	 * Create a forwarder; where a response does not accept a write listener, frames are written by
	 * blocking sends on {@link Schedulers#boundedElastic()}.
	 * @param frames the frame source, with the heartbeat and time limit
	 */
	public DedalusSseEmitterForwarder(SseFrames frames) {
		this(frames, Schedulers.boundedElastic());
	}

	/**
	 * Create a forwarder.
	 * @param frames the frame source, with the heartbeat and time limit
	 * @param writer where blocking sends run, one frame at a time per stream, for a response that
	 * does not accept a write listener (servlet non-blocking I/O is used everywhere else)
	 */
	public DedalusSseEmitterForwarder(SseFrames frames, Scheduler writer) {
		Objects.requireNonNull(frames, "frames");
		this.frames = frames.withHeartbeat(frames.heartbeat().dividedBy(2));
		this.writer = Objects.requireNonNull(writer, "writer");
	}

	/**
	 * Forward chunks, each written as its JSON.
	 * @param chunks the stream, subscribed once by this call
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toSseEmitter(Flux<ChatCompletionChunk> chunks) {
		return emit(this.frames.chunks(chunks));
	}

	/**
	 * Forward raw chunks, each event's JSON exactly as the API sent it.
	 * @param chunks the raw stream, from {@code streamRaw}
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toSseEmitterRaw(Flux<RawChatCompletionChunk> chunks) {
		return emit(this.frames.raw(chunks));
	}

	/**
	 * Forward just the text of the first choice, for the simplest pages:
	 * {@code es.onmessage = (e) => out.textContent += e.data}. The end is an {@code event: done},
	 * so {@code onmessage} never sees it.
	 * @param chunks the stream, subscribed once by this call
	 * @return the emitter to return from a controller
	 */
	public SseEmitter toTextSseEmitter(Flux<ChatCompletionChunk> chunks) {
		return emit(this.frames.text(chunks));
	}

	/**
	 * Forward a resumable stream: every event with its SSE {@code id:}, and the stream's id in the
	 * {@code Dedalus-Stream-Id} header. The browser leaving stops only this reader; the generation
	 * goes on for the grace period, so that a reconnect with {@code Last-Event-ID} continues it.
	 * @param session the stream, from {@link ResumableStreams#open}
	 * @return the response to return from a controller
	 */
	public ResponseEntity<SseEmitter> toSseEmitterResumable(ResumableStreams.Session session) {
		return ResponseEntity.ok()
			.header(ResumableStreams.STREAM_ID_HEADER, session.streamId())
			.body(SseEmitterWriter.emit(session.frames(), null, this.writer));
	}

	/**
	 * Write raw chunks as the whole response of a request that a handler has already put in async
	 * mode (with a {@code DeferredResult}, say), without a second async dispatch. For answers that
	 * are decided asynchronously, such as the front-end endpoint's once the upstream status is
	 * known: an {@code SseEmitter} set on the {@code DeferredResult} would wait for a free request
	 * thread to be dispatched while the model's chunks are already arriving. The response is this
	 * stream's from then on: it writes the status ({@code 200}) and the headers, the frames as
	 * {@link #toSseEmitterRaw} does (heartbeats, the time limit, the safe error event), and
	 * completes the async request at the end; nothing else may write the response or complete the
	 * request, and the {@code DeferredResult} is left unset.
	 * @param chunks the raw stream, from {@code streamRaw}; subscribed once by this call
	 * @param request the request, in async mode
	 * @param response its response, not yet committed
	 * @return stops writing and cancels the stream, for when the request ends first (an async
	 * error or timeout)
	 * @throws IOException when the response cannot be written
	 * @throws IllegalStateException when the request is not in async mode
	 * @since 0.1.0
	 */
	public Disposable writeRawTo(Flux<RawChatCompletionChunk> chunks, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		if (!request.isAsyncStarted()) {
			throw new IllegalStateException("writeRawTo needs a request in async mode: return a DeferredResult "
					+ "from the handler (or call request.startAsync()) first, or return toSseEmitterRaw instead");
		}
		return SseEmitterWriter.write(this.frames.raw(chunks), request, response);
	}

	private SseEmitter emit(Flux<SseFrame> frames) {
		// A little beyond the stream's own limit, so the error event is written before MVC gives up.
		Long timeoutMillis = (this.frames.timeout() != null) ? this.frames.timeout().plusSeconds(5).toMillis() : null;
		return SseEmitterWriter.emit(frames, timeoutMillis, this.writer);
	}

}
