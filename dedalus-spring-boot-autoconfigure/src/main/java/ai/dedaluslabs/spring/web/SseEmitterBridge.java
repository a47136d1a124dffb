package ai.dedaluslabs.spring.web;

import java.io.IOException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Writes frames to a Spring MVC {@link SseEmitter} without a thread per stream and without
 * blocking an event loop: frames are handed to a shared scheduler for the (blocking) servlet
 * write, one at a time, and the next frame is requested only when the write returned. A failed
 * write (the browser went away), the emitter's timeout, or a servlet async error cancels the
 * upstream request. Every {@code data:} value is written after one space, which an SSE reader
 * removes, so a leading space of the text itself survives. Only loaded when Spring MVC is present.
 */
final class SseEmitterBridge {

	private SseEmitterBridge() {
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

		private final SseEmitter emitter;

		FrameWriter(SseEmitter emitter) {
			this.emitter = emitter;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(SseFrame frame) {
			try {
				this.emitter.send(event(frame));
				request(1);
			}
			catch (IOException | IllegalStateException ex) {
				// The browser went away (or the emitter already completed): stop the model.
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

		private static SseEmitter.SseEventBuilder event(SseFrame frame) {
			SseEmitter.SseEventBuilder event = SseEmitter.event();
			if (frame instanceof SseFrame.Data data) {
				for (String line : data.lines()) {
					event.data(" " + line, MediaType.TEXT_PLAIN);
				}
			}
			else if (frame instanceof SseFrame.Done done) {
				if (done.named()) {
					event.name("done");
				}
				event.data(" [DONE]", MediaType.TEXT_PLAIN);
			}
			else if (frame instanceof SseFrame.Error error) {
				event.name("error").data(" " + error.json(), MediaType.TEXT_PLAIN);
			}
			else {
				event.comment("keepalive");
			}
			return event;
		}

	}

}
