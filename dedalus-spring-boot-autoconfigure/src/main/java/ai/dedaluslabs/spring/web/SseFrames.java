package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a stream of elements into the frames a browser receives: one data frame per element, then
 * {@code [DONE]}; on failure one error frame instead, then the end; a heartbeat whenever nothing was
 * written for the heartbeat interval; and, when set, a whole-stream time limit.
 */
final class SseFrames {

	private static final Log logger = LogFactory.getLog(SseFrames.class);

	private final JsonMapper mapper;

	private final Duration heartbeat;

	private final @Nullable Duration timeout;

	private final Scheduler scheduler;

	SseFrames(JsonMapper mapper, Duration heartbeat, @Nullable Duration timeout, Scheduler scheduler) {
		this.mapper = mapper;
		this.heartbeat = heartbeat;
		this.timeout = timeout;
		this.scheduler = scheduler;
	}

	<T> Flux<SseFrame> frames(Flux<T> elements, Function<T, @Nullable SseFrame> toFrame, SseFrame.Done done) {
		Flux<T> limited = elements;
		if (this.timeout != null) {
			Duration limit = this.timeout;
			limited = limited.takeUntilOther(Mono.delay(limit, this.scheduler)
				.then(Mono.error(() -> new ForwardingTimeoutException(limit))));
		}
		Flux<SseFrame> data = limited.<SseFrame>handle((element, sink) -> {
			SseFrame frame = toFrame.apply(element);
			if (frame != null) {
				sink.next(frame);
			}
		}).concatWith(Mono.just(done)).onErrorResume((error) -> Mono.just(errorFrame(error)));
		return withHeartbeats(data);
	}

	/**
	 * Merge in a heartbeat after every silence of the heartbeat interval, and stop with the data.
	 * The data only records the time of its latest frame; one timer per silence decides, so the
	 * per-chunk path schedules nothing.
	 */
	private Flux<SseFrame> withHeartbeats(Flux<SseFrame> data) {
		return Flux.defer(() -> {
			Silence silence = new Silence(this.scheduler, this.heartbeat.toNanos());
			Sinks.Empty<Void> dataDone = Sinks.empty();
			Flux<SseFrame> frames = data.doOnNext((frame) -> silence.touch())
				.doFinally((signal) -> dataDone.tryEmitEmpty());
			Flux<SseFrame> heartbeats = Flux.<SseFrame>create((sink) -> silence.start(sink))
				.onBackpressureDrop()
				.takeUntilOther(dataDone.asMono());
			return Flux.merge(frames, heartbeats);
		});
	}

	/** The time of the latest frame, and the timer that writes a heartbeat after a silence. */
	private static final class Silence {

		private final Scheduler scheduler;

		private final long intervalNanos;

		private volatile long lastFrame;

		private volatile Disposable pending = Disposables.disposed();

		private volatile boolean stopped;

		Silence(Scheduler scheduler, long intervalNanos) {
			this.scheduler = scheduler;
			this.intervalNanos = intervalNanos;
			this.lastFrame = now();
		}

		void touch() {
			this.lastFrame = now();
		}

		void start(FluxSink<SseFrame> sink) {
			sink.onDispose(() -> {
				this.stopped = true;
				this.pending.dispose();
			});
			schedule(sink, this.intervalNanos);
		}

		private void schedule(FluxSink<SseFrame> sink, long delayNanos) {
			if (this.stopped) {
				return;
			}
			this.pending = this.scheduler.schedule(() -> {
				long silent = now() - this.lastFrame;
				if (silent >= this.intervalNanos) {
					sink.next(SseFrame.HEARTBEAT);
					this.lastFrame = now();
					schedule(sink, this.intervalNanos);
				}
				else {
					schedule(sink, this.intervalNanos - silent);
				}
			}, delayNanos, TimeUnit.NANOSECONDS);
		}

		private long now() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

	}

	/** A data frame of the lines of a text, split at every kind of line end. */
	static SseFrame.Data textFrame(String text) {
		List<String> lines = new ArrayList<>(1);
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\r' || c == '\n') {
				lines.add(text.substring(start, i));
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
					i++;
				}
				start = i + 1;
			}
		}
		lines.add(text.substring(start));
		return new SseFrame.Data(lines);
	}

	SseFrame.Error errorFrame(Throwable error) {
		String type;
		String message;
		if (error instanceof StreamErrorException streamError) {
			type = (streamError.type() != null) ? streamError.type() : "stream_error";
			message = (streamError.errorMessage() != null) ? streamError.errorMessage() : "The model's stream failed";
		}
		else if (error instanceof ApiStatusException status) {
			type = (status.type() != null) ? status.type() : "api_error";
			message = (status.errorMessage() != null) ? status.errorMessage()
					: "The model API answered with status " + status.statusCode();
		}
		else if (error instanceof ApiTimeoutException || error instanceof ForwardingTimeoutException) {
			type = "timeout";
			message = "The answer took too long";
		}
		else if (error instanceof ApiConnectionException) {
			type = "connection_error";
			message = "The connection to the model was lost";
		}
		else if (error instanceof DedalusException) {
			type = "api_error";
			message = "The model's answer could not be read";
		}
		else {
			type = "server_error";
			message = "The stream failed";
		}
		logger.debug("Forwarded stream ended with an error event", error);
		ObjectNode body = this.mapper.createObjectNode();
		body.putObject("error").put("type", type).put("message", message);
		return new SseFrame.Error(this.mapper.writeValueAsString(body));
	}

	/** The forwarded stream ran past {@code dedalus.sse.timeout}. */
	static final class ForwardingTimeoutException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ForwardingTimeoutException(Duration limit) {
			super("The forwarded stream ran longer than dedalus.sse.timeout (" + limit + ")");
		}

	}

}
