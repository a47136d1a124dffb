package ai.dedaluslabs.spring.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;

import ai.dedaluslabs.spring.web.SseFrame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * Writes frames to an {@link SseEmitter} without a thread per stream and without blocking an
 * event loop: frames are handed to a shared scheduler for the (blocking) servlet write, one at a
 * time, and the next frame is requested only when the write returned. A failed write (the browser
 * went away), the emitter's timeout, or a servlet async error cancels the upstream request. Each
 * frame is written as its finished SSE text in one write.
 */
final class SseEmitterWriter {

	private static final Log logger = LogFactory.getLog(SseEmitterWriter.class);

	private static final MediaType TEXT_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private static final String HEARTBEAT = ": keepalive\n\n";

	private SseEmitterWriter() {
	}

	static SseEmitter emit(Flux<SseFrame> frames, @Nullable Long timeoutMillis, Scheduler writer) {
		// 0: never time out, so MVC's async request timeout cannot cut a long answer short.
		SseEmitter emitter = new StreamingSseEmitter((timeoutMillis != null) ? timeoutMillis : 0L);
		FrameWriter subscriber = new FrameWriter(emitter);
		emitter.onTimeout(subscriber::cancelUpstream);
		emitter.onError((error) -> subscriber.cancelUpstream());
		emitter.onCompletion(subscriber::cancelUpstream);
		frames.publishOn(writer, 1).subscribe(subscriber);
		return emitter;
	}

	/** The SSE text of a frame; every data line after one space, which SSE readers remove. */
	static String text(SseFrame frame) {
		if (frame instanceof SseFrame.Identified identified) {
			return "id: " + identified.id() + "\n" + text(identified.frame());
		}
		if (frame instanceof SseFrame.Data data) {
			StringBuilder text = new StringBuilder(64);
			for (String line : data.lines()) {
				text.append("data: ").append(line).append('\n');
			}
			return text.append('\n').toString();
		}
		if (frame instanceof SseFrame.Done done) {
			return done.named() ? "event: done\ndata: [DONE]\n\n" : "data: [DONE]\n\n";
		}
		if (frame instanceof SseFrame.Error error) {
			return "event: error\ndata: " + error.json() + "\n\n";
		}
		return HEARTBEAT;
	}

	/** An emitter whose response tells caches and proxies not to hold the stream back. */
	private static final class StreamingSseEmitter extends SseEmitter {

		StreamingSseEmitter(Long timeout) {
			super(timeout);
		}

		@Override
		protected void extendResponse(ServerHttpResponse outputMessage) {
			super.extendResponse(outputMessage);
			outputMessage.getHeaders().setCacheControl(CacheControl.noCache());
			outputMessage.getHeaders().set("X-Accel-Buffering", "no");
		}

	}

	/** Sends each frame, then asks for the next; any failure to write cancels upstream. */
	private static final class FrameWriter extends BaseSubscriber<SseFrame> {

		/**
		 * Errors that arrive after a disconnect cancelled the stream (the connection's own close, a
		 * late upstream failure) are expected: logged at DEBUG instead of Reactor's ERROR default.
		 */
		/** Reactor's context key for a subscriber's own dropped-error handler. */
		private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

		private static final Consumer<Throwable> DROPPED = (error) -> logger
			.debug("Dropped an error after the browser went away", error);

		private final SseEmitter emitter;

		FrameWriter(SseEmitter emitter) {
			this.emitter = emitter;
		}

		@Override
		public Context currentContext() {
			return Context.of(ON_ERROR_DROPPED, DROPPED);
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(SseFrame frame) {
			try {
				this.emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(text(frame), TEXT_UTF8)));
				request(1);
			}
			catch (IOException | IllegalStateException ex) {
				// The browser went away (or the emitter already completed): stop the model.
				logger.debug("The browser went away; cancelling the upstream request", ex);
				cancel();
				this.emitter.completeWithError(ex);
			}
		}

		@Override
		protected void hookOnComplete() {
			this.emitter.complete();
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			this.emitter.completeWithError(throwable);
		}

		void cancelUpstream() {
			cancel();
		}

	}

}
