package ai.dedaluslabs.spring.web.servlet;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import ai.dedaluslabs.spring.web.SseBytes;
import ai.dedaluslabs.spring.web.SseFrame;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Writes frames to an {@link SseEmitter} with servlet non-blocking I/O: a frame is written when it
 * arrives, on whatever thread delivers it, if the connection can take it, and otherwise when the
 * container calls {@link WriteListener#onWritePossible()}. No thread waits on a slow browser, none
 * is held per stream, and the frames are requested only as fast as the browser takes them.
 *
 * <p>
 * Spring MVC hands the emitter's response to {@link SseEmitter#extendResponse} before it starts
 * async processing; the writer takes the response over from the first moment async processing has
 * started ({@link DeferredResultProcessingInterceptor#preProcess}), writes the headers Spring
 * gathered, and subscribes to the frames then, so no upstream request is made for an emitter that
 * is never returned to Spring. Frames are written as bytes ({@link SseBytes}): a raw chunk's JSON
 * goes out as the bytes the API sent. Once the last frame is on its way the request's async cycle
 * is completed directly, without the async dispatch that completing the emitter would cost.
 *
 * <p>
 * Where non-blocking I/O is not available (no current request when the response is written, or a
 * response wrapper that refuses a write listener) each frame is instead written by a blocking
 * {@code send} on the given scheduler, one at a time. Either way a failed write (the browser went
 * away), the emitter's timeout or a servlet async error cancels the upstream request.
 */
final class SseEmitterWriter {

	private static final Log logger = LogFactory.getLog(SseEmitterWriter.class);

	/** Reactor's context key for a subscriber's own dropped-error handler. */
	private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

	/**
	 * Errors that arrive after a disconnect cancelled the stream (the connection's own close, a late
	 * upstream failure) are expected: logged at DEBUG instead of Reactor's ERROR default.
	 */
	private static final Consumer<Throwable> DROPPED = (error) -> logger
		.debug("Dropped an error after the browser went away", error);

	/** Frames requested ahead: enough to write a burst before one flush, little memory per stream. */
	private static final int PREFETCH = 16;

	private static final int REPLENISH = PREFETCH - PREFETCH / 4;

	private SseEmitterWriter() {
	}

	static SseEmitter emit(Flux<SseFrame> frames, @Nullable Long timeoutMillis, Scheduler fallback) {
		// 0: never time out, so MVC's async request timeout cannot cut a long answer short.
		return new FrameEmitter((timeoutMillis != null) ? timeoutMillis : 0L, frames, fallback);
	}

	/**
	 * Write frames as the whole response of a request that is already in async mode, from any
	 * thread, without another async dispatch: the status and headers, then the frames, then the
	 * async context is completed.
	 * @param frames the frames
	 * @param request the request, in async mode
	 * @param response its response, not yet committed
	 * @return stops the writing and the frames (the request ended first)
	 * @throws IOException when the response cannot be written
	 */
	static Disposable write(Flux<SseFrame> frames, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		AsyncContext async = request.getAsyncContext();
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noCache().getHeaderValue());
		response.setHeader("X-Accel-Buffering", "no");
		ServletOutputStream output = response.getOutputStream();
		NonBlockingWriter writer = new NonBlockingWriter(new CompleteAsync(async), output);
		output.setWriteListener(writer.listener());
		frames.subscribe(writer);
		return writer;
	}

	/** How a writer ends its response. */
	private interface Ending {

		void complete();

		void completeWithError(Throwable error);

	}

	/**
	 * Ends the response by completing the request's async cycle directly, rather than through
	 * another async dispatch: a dispatch runs the whole {@code DispatcherServlet} again on a request
	 * thread for a response that has nothing left to write, and when many streams end together
	 * those dispatches queue for Tomcat's few request threads. The container's completion still
	 * runs Spring's completion callbacks (the emitter's {@code onCompletion}, the HTTP server
	 * observation's async listener).
	 */
	private record CompleteAsync(AsyncContext async) implements Ending {

		@Override
		public void complete() {
			this.async.complete();
		}

		@Override
		public void completeWithError(Throwable error) {
			// The response is committed: all that is left is to end it.
			logger.debug("The stream ended with an error after its response had started", error);
			this.async.complete();
		}

	}

	/**
	 * An emitter that starts writing its frames when Spring MVC writes its response, and whose
	 * response tells caches and proxies not to hold the stream back.
	 */
	private static final class FrameEmitter extends SseEmitter {

		private final Flux<SseFrame> frames;

		private final Scheduler fallback;

		private final AtomicBoolean started = new AtomicBoolean();

		FrameEmitter(Long timeout, Flux<SseFrame> frames, Scheduler fallback) {
			super(timeout);
			this.frames = frames;
			this.fallback = fallback;
		}

		@Override
		protected void extendResponse(ServerHttpResponse outputMessage) {
			super.extendResponse(outputMessage);
			outputMessage.getHeaders().setCacheControl(CacheControl.noCache());
			outputMessage.getHeaders().set("X-Accel-Buffering", "no");
			RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
			if (attributes instanceof ServletRequestAttributes servlet
					&& outputMessage instanceof ServletServerHttpResponse response) {
				WebAsyncUtils.getAsyncManager(servlet.getRequest())
					.registerDeferredResultInterceptor(FrameEmitter.class.getName() + "@" + System.identityHashCode(this),
							new DeferredResultProcessingInterceptor() {
								@Override
								public <T> void preProcess(NativeWebRequest request, DeferredResult<T> deferredResult) {
									start(servlet.getRequest(), response);
								}
							});
			}
			else {
				startBlocking();
			}
		}

		private void start(HttpServletRequest request, ServletServerHttpResponse response) {
			if (!this.started.compareAndSet(false, true)) {
				return;
			}
			NonBlockingWriter writer;
			try {
				// Writes the status and the headers Spring gathered, before the first frame.
				response.getBody();
				ServletOutputStream output = response.getServletResponse().getOutputStream();
				writer = new NonBlockingWriter(new CompleteAsync(request.getAsyncContext()), output);
				output.setWriteListener(writer.listener());
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Servlet non-blocking I/O is not available here; writing frames with blocking sends", ex);
				this.started.set(false);
				startBlocking();
				return;
			}
			listen(writer);
			this.frames.subscribe(writer);
		}

		private void startBlocking() {
			if (!this.started.compareAndSet(false, true)) {
				return;
			}
			BlockingWriter writer = new BlockingWriter(this);
			listen(writer);
			this.frames.publishOn(this.fallback, 1).subscribe(writer);
		}

		private void listen(BaseSubscriber<?> writer) {
			onTimeout(writer::dispose);
			onError((error) -> writer.dispose());
			onCompletion(writer::dispose);
		}

	}

	/**
	 * Frames in, bytes out whenever the connection can take them. A drain loop, entered by the
	 * thread that delivers a frame and by the container's {@link WriteListener#onWritePossible()},
	 * writes what is queued while {@link ServletOutputStream#isReady()} allows, flushes once per
	 * burst, and asks for more frames as it consumes them; the counter lets only one thread write at
	 * a time, and a thread that finds another writing leaves the work to it.
	 */
	private static final class NonBlockingWriter extends BaseSubscriber<SseFrame> {

		private final Ending emitter;

		private final ServletOutputStream output;

		private final Queue<byte[]> queue = Queues.<byte[]>get(PREFETCH).get();

		private final AtomicInteger work = new AtomicInteger();

		private int consumed;

		private boolean unflushed;

		private volatile boolean upstreamDone;

		private volatile @Nullable Throwable upstreamError;

		private volatile @Nullable Throwable writeError;

		private volatile boolean finished;

		NonBlockingWriter(Ending emitter, ServletOutputStream output) {
			this.emitter = emitter;
			this.output = output;
		}

		@Override
		public Context currentContext() {
			return Context.of(ON_ERROR_DROPPED, DROPPED);
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(PREFETCH);
		}

		@Override
		protected void hookOnNext(SseFrame frame) {
			this.queue.offer(SseBytes.of(frame));
			drain();
		}

		@Override
		protected void hookOnComplete() {
			this.upstreamDone = true;
			drain();
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			this.upstreamError = throwable;
			this.upstreamDone = true;
			drain();
		}

		@Override
		protected void hookOnCancel() {
			// Only the drain loop touches the queue (one consumer); it stops at this flag.
			this.finished = true;
		}

		/** The container's side: the connection can take more, or writing to it failed. */
		WriteListener listener() {
			return new WriteListener() {
				@Override
				public void onWritePossible() {
					drain();
				}

				@Override
				public void onError(Throwable failure) {
					// From a container thread: handled inside the drain loop, like every other change.
					NonBlockingWriter.this.writeError = failure;
					drain();
				}
			};
		}

		private void drain() {
			if (this.work.getAndIncrement() != 0) {
				return;
			}
			int missed = 1;
			do {
				try {
					writeWhatIsReady();
				}
				catch (IOException | IllegalStateException ex) {
					browserGone(ex);
				}
				missed = this.work.addAndGet(-missed);
			}
			while (missed != 0);
		}

		/** Writes until the queue is empty or the connection is full; at the end, completes. */
		private void writeWhatIsReady() throws IOException {
			while (!this.finished) {
				Throwable failure = this.writeError;
				if (failure != null) {
					browserGone(failure);
					return;
				}
				// isReady() false registers for onWritePossible, which drains again.
				if (!this.output.isReady()) {
					return;
				}
				byte[] bytes = this.queue.poll();
				if (bytes != null) {
					this.output.write(bytes);
					this.unflushed = true;
					if (++this.consumed == REPLENISH) {
						this.consumed = 0;
						request(REPLENISH);
					}
				}
				else if (this.unflushed) {
					this.unflushed = false;
					this.output.flush();
				}
				else if (this.upstreamDone) {
					finish();
				}
				else {
					return;
				}
			}
		}

		private void finish() {
			this.finished = true;
			Throwable error = this.upstreamError;
			if (error != null) {
				this.emitter.completeWithError(error);
			}
			else {
				this.emitter.complete();
			}
		}

		private void browserGone(Throwable failure) {
			if (this.finished) {
				return;
			}
			// The browser went away: stop the model.
			logger.debug("The browser went away; cancelling the upstream request", failure);
			this.finished = true;
			cancel();
			this.emitter.completeWithError(failure);
		}

	}

	/** Sends each frame with a blocking write, then asks for the next; any failure cancels upstream. */
	private static final class BlockingWriter extends BaseSubscriber<SseFrame> {

		private static final MediaType EVENT_BYTES = MediaType.APPLICATION_OCTET_STREAM;

		private final SseEmitter emitter;

		BlockingWriter(SseEmitter emitter) {
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
				this.emitter.send(Set.of(new ResponseBodyEmitter.DataWithMediaType(SseBytes.of(frame), EVENT_BYTES)));
				request(1);
			}
			catch (IOException | IllegalStateException ex) {
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

	}

}
