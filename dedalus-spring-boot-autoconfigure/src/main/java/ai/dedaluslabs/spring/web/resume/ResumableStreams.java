package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import ai.dedaluslabs.spring.web.SseFrame;
import ai.dedaluslabs.spring.web.SseFrames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Streams that survive a dropped connection. {@link #open} either starts a generation that runs on
 * the server independently of the browser (its events retained in a {@link ResumeStore}), or, given
 * the {@code Last-Event-ID} of a retained stream, reads it from after that event: every event
 * missed, then the live rest, nothing lost or repeated and no second upstream request.
 *
 * <p>
 * Cost control stays: a stream that nobody reads for the grace period is cancelled upstream, and
 * {@link #stop} cancels one at once. Every event carries an SSE {@code id:} of the form
 * {@code <stream id>.<position>}; the stream id is 128 random bits, and a stream started by an
 * authenticated user can be read and stopped only by that user.
 *
 * <p>
 * Stack-neutral: the Spring MVC and WebFlux forwarders write a {@link Session}'s frames.
 *
 * @since 0.1.0
 */
public final class ResumableStreams {

	private static final Log logger = LogFactory.getLog(ResumableStreams.class);

	/** The response header that names the stream, so that a page can stop it or resume it later. */
	public static final String STREAM_ID_HEADER = "Dedalus-Stream-Id";

	private final ResumeStore store;

	private final ResumeSettings settings;

	private final SseFrames frames;

	private final ResumeListener listener;

	private final Scheduler scheduler;

	private final Duration tick;

	private final ConcurrentHashMap<String, Generation> running = new ConcurrentHashMap<>();

	private final Disposable stopRequests;

	/**
	 * Create the streams.
	 * @param store where events are retained
	 * @param settings grace, retention and caps
	 * @param frames heartbeats for readers
	 * @param listener told of resumes and cancellations
	 */
	public ResumableStreams(ResumeStore store, ResumeSettings settings, SseFrames frames, ResumeListener listener) {
		this(store, settings, frames, listener, Schedulers.parallel());
	}

	/**
	 * Create the streams.
	 * @param store where events are retained
	 * @param settings grace, retention and caps
	 * @param frames heartbeats for readers
	 * @param listener told of resumes and cancellations
	 * @param scheduler where presence and grace checks run
	 */
	public ResumableStreams(ResumeStore store, ResumeSettings settings, SseFrames frames, ResumeListener listener,
			Scheduler scheduler) {
		this.store = Objects.requireNonNull(store, "store");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.frames = Objects.requireNonNull(frames, "frames");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.scheduler = scheduler;
		// Readers mark their presence, and generations check for it, four times per grace period.
		this.tick = settings.grace().dividedBy(4);
		this.stopRequests = store.stopRequests()
			.onErrorContinue((error, value) -> logger.warn("Could not read stop requests of resumable streams", error))
			.subscribe((streamId) -> {
				Generation generation = this.running.get(streamId);
				if (generation != null) {
					generation.stop("stopped");
				}
			});
	}

	/**
	 * A stream to write to a browser.
	 *
	 * @param streamId the stream's id, for the {@value #STREAM_ID_HEADER} header
	 * @param frames its frames, each with its SSE id, and heartbeats; cold: subscribing reads the
	 * stream, cancelling stops reading (not the generation)
	 */
	public record Session(String streamId, Flux<SseFrame> frames) {
	}

	/**
	 * Resume the stream that {@code lastEventId} names, or start a new one.
	 * @param lastEventId the {@code Last-Event-ID} header, or the {@code lastEventId} query
	 * parameter of a page that reloaded; {@code null} or not one of ours to start anew
	 * @param owner the authenticated principal's name, or {@code null} when anonymous
	 * @param generation the upstream stream, subscribed only when a new stream starts: when the
	 * session's frames are first subscribed (a forwarder's response does so at once)
	 * @return the session
	 */
	public Session open(@Nullable String lastEventId, @Nullable String owner,
			Supplier<Flux<RawChatCompletionChunk>> generation) {
		EventIds.Position position = EventIds.parse(lastEventId);
		if (position != null) {
			return new Session(position.streamId(), resume(position, owner));
		}
		String streamId = StreamIds.next();
		// Started once, by the first subscriber (the response), however often the frames are read.
		Mono<Boolean> started = this.store.create(streamId, owner, this.settings.maxStreams(), lifetime())
			.onErrorResume((error) -> {
				logger.warn("Could not record a resumable stream (" + error.getMessage() + ")");
				return Mono.error(new StoreUnavailable());
			})
			.doOnNext((created) -> {
				if (created) {
					start(streamId, generation);
				}
			})
			.cache();
		Flux<SseFrame> frames = started.flatMapMany((created) -> created ? read(streamId, 0)
				: Flux.just(error(503, "Too many answers are being kept for resuming; try again shortly",
						"too_many_streams")))
			.onErrorResume(StoreUnavailable.class, (error) -> Flux.just(error(503,
					"Answers cannot be kept for resuming right now; try again shortly", "store_unavailable")));
		return new Session(streamId, this.frames.withHeartbeatsOnly(frames));
	}

	/**
	 * Stop a stream at once: its upstream request is cancelled, and readers get an error event with
	 * code {@code stream_stopped}.
	 * @param streamId the stream
	 * @param owner the authenticated principal's name, or {@code null}; a stream started by another
	 * principal is not stopped
	 * @return {@code true} when the stream is retained (and, if it was running, now stopping)
	 */
	public Mono<Boolean> stop(String streamId, @Nullable String owner) {
		if (!StreamIds.isWellFormed(streamId)) {
			return Mono.just(false);
		}
		return this.store.find(streamId)
			.filter((record) -> mayRead(record, owner))
			.flatMap((record) -> {
				Generation local = this.running.get(streamId);
				if (local != null) {
					local.stop("stopped");
					return Mono.just(true);
				}
				return this.store.requestStop(streamId).thenReturn(true);
			})
			.defaultIfEmpty(false);
	}

	/** Stop reading stop requests; generations already running go on. */
	public void close() {
		this.stopRequests.dispose();
	}

	private Flux<SseFrame> resume(EventIds.Position position, @Nullable String owner) {
		Flux<SseFrame> frames = this.store.find(position.streamId())
			.filter((record) -> mayRead(record, owner))
			.flatMapMany((record) -> {
				this.listener.resumed();
				return read(position.streamId(), position.seq());
			})
			.switchIfEmpty(Flux.just(error(404, "This answer is not kept any more; ask again", "stream_not_found")))
			.onErrorResume((error) -> {
				logger.warn("Could not read a resumable stream (" + error.getMessage() + ")");
				return Flux.just(error(503, "Answers cannot be resumed right now; try again shortly",
						"store_unavailable"));
			});
		return this.frames.withHeartbeatsOnly(frames);
	}

	private static boolean mayRead(ResumeStore.StreamRecord record, @Nullable String owner) {
		return record.owner() == null || record.owner().equals(owner);
	}

	/** The stream's events from after a position, while this reader marks its presence. */
	private Flux<SseFrame> read(String streamId, long after) {
		return Flux.defer(() -> {
			Disposable presence = Flux.interval(Duration.ZERO, this.tick, this.scheduler)
				.concatMap((tick) -> this.store.touch(streamId).onErrorResume((error) -> Mono.empty()))
				.subscribe();
			return this.store.read(streamId, after).map((entry) -> entry.frame(streamId)).doFinally((signal) -> {
				presence.dispose();
				// The grace period counts from the moment the last reader left.
				this.store.touch(streamId).subscribe(null, (error) -> {
				});
			});
		});
	}

	private Duration lifetime() {
		return this.settings.grace().plus(this.settings.retention());
	}

	private void start(String streamId, Supplier<Flux<RawChatCompletionChunk>> upstream) {
		Generation generation = new Generation(streamId);
		this.running.put(streamId, generation);
		generation.run(upstream);
	}

	private static SseFrame error(int status, String message, String code) {
		return new SseFrame.Error(new OpenAiErrorBody(status, message, "invalid_request_error", null, code).json());
	}

	/** The store failed: answered with an error event, never thrown to the writer. */
	private static final class StoreUnavailable extends RuntimeException {

		private static final long serialVersionUID = 1L;

		StoreUnavailable() {
			super("resume store unavailable", null, false, false);
		}

	}

	/** One running stream on this instance: its upstream subscription and why it was stopped. */
	private final class Generation {

		private final String streamId;

		private final Sinks.Empty<Void> stop = Sinks.empty();

		private final AtomicReference<@Nullable String> stopReason = new AtomicReference<>();

		private final AtomicLong seq = new AtomicLong();

		Generation(String streamId) {
			this.streamId = streamId;
		}

		void stop(String reason) {
			if (this.stopReason.compareAndSet(null, reason)) {
				this.stop.tryEmitEmpty();
			}
		}

		void run(Supplier<Flux<RawChatCompletionChunk>> upstream) {
			ResumeSettings settings = ResumableStreams.this.settings;
			ResumeStore store = ResumableStreams.this.store;
			Duration lifetime = lifetime();
			Disposable watchdog = Flux.interval(ResumableStreams.this.tick, ResumableStreams.this.tick,
					ResumableStreams.this.scheduler)
				.concatMap((tick) -> store.idleLongerThan(this.streamId, settings.grace())
					.onErrorResume((error) -> Mono.just(false)))
				.filter(Boolean::booleanValue)
				.next()
				.subscribe((idle) -> stop("abandoned"));
			Flux.defer(upstream)
				.takeUntilOther(this.stop.asMono())
				.<ResumeEntry>handle((raw, sink) -> {
					long next = this.seq.incrementAndGet();
					if (next >= settings.maxEvents()) {
						// One place is kept for the error event that says why the answer stops here.
						stop("too_long");
						return;
					}
					sink.next(new ResumeEntry(next, ResumeEntry.Kind.DATA, raw.json()));
				})
				.concatWith(Mono.fromSupplier(this::terminal))
				.onErrorResume((error) -> Mono.just(new ResumeEntry(this.seq.incrementAndGet(), ResumeEntry.Kind.ERROR,
						OpenAiErrorBody.of(error).json())))
				.concatMap((entry) -> store.append(this.streamId, entry, entry.terminal() ? settings.retention() : lifetime))
				.doFinally((signal) -> {
					watchdog.dispose();
					ResumableStreams.this.running.remove(this.streamId, this);
					String reason = this.stopReason.get();
					if (reason != null) {
						ResumableStreams.this.listener.cancelled(reason);
					}
				})
				.subscribe(null, (error) -> logger.warn("A resumable stream could not be kept ("
						+ error.getMessage() + "); readers will not see its end", error));
		}

		private ResumeEntry terminal() {
			String reason = this.stopReason.get();
			long next = this.seq.incrementAndGet();
			if (reason == null) {
				return new ResumeEntry(next, ResumeEntry.Kind.DONE, "");
			}
			String message = switch (reason) {
				case "abandoned" -> "The answer was cancelled: nobody was reading it";
				case "too_long" -> "The answer was cut short: it was longer than can be kept for resuming";
				default -> "The answer was stopped";
			};
			String code = "too_long".equals(reason) ? "stream_too_long" : "stream_" + reason;
			return new ResumeEntry(next, ResumeEntry.Kind.ERROR,
					new OpenAiErrorBody(200, message, "invalid_request_error", null, code).json());
		}

	}

}
