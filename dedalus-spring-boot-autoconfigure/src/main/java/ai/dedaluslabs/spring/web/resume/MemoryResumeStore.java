package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Resumable streams in this instance's memory, the default: a browser must reconnect to the
 * instance that started its answer (sticky sessions), and the streams die with the instance. The
 * number of streams is capped by the caller of {@link #create}, and their length by
 * {@link ResumableStreams}, so memory stays bounded.
 *
 * @since 0.1.0
 */
public final class MemoryResumeStore implements ResumeStore {

	private final ConcurrentHashMap<String, Retained> streams = new ConcurrentHashMap<>();

	private final Sinks.Many<String> stops = Sinks.many().multicast().directBestEffort();

	private final Scheduler scheduler;

	/** Create a store that expires streams on Reactor's parallel scheduler. */
	public MemoryResumeStore() {
		this(Schedulers.parallel());
	}

	/**
	 * Create a store.
	 * @param scheduler where expiry timers run
	 */
	public MemoryResumeStore(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	@Override
	public Mono<Boolean> create(String streamId, @Nullable String owner, int maxStreams, Duration lifetime) {
		return Mono.fromSupplier(() -> {
			synchronized (this.streams) {
				if (this.streams.size() >= maxStreams) {
					return false;
				}
				Retained stream = new Retained(owner, now());
				this.streams.put(streamId, stream);
				stream.expireAfter(lifetime, () -> this.streams.remove(streamId, stream));
				return true;
			}
		});
	}

	@Override
	public Mono<StreamRecord> find(String streamId) {
		return Mono.fromSupplier(() -> this.streams.get(streamId)).map((stream) -> new StreamRecord(stream.owner));
	}

	@Override
	public Mono<Void> append(String streamId, ResumeEntry entry, Duration lifetime) {
		return Mono.fromRunnable(() -> {
			Retained stream = this.streams.get(streamId);
			if (stream != null) {
				stream.append(entry);
				stream.expireAfter(lifetime, () -> this.streams.remove(streamId, stream));
			}
		});
	}

	@Override
	public Flux<ResumeEntry> read(String streamId, long after) {
		return Flux.defer(() -> {
			Retained stream = this.streams.get(streamId);
			return (stream != null) ? stream.read(after) : Flux.empty();
		});
	}

	@Override
	public Mono<Void> touch(String streamId) {
		return Mono.fromRunnable(() -> {
			Retained stream = this.streams.get(streamId);
			if (stream != null) {
				stream.lastTouched = now();
			}
		});
	}

	@Override
	public Mono<Boolean> idleLongerThan(String streamId, Duration grace) {
		return Mono.fromSupplier(() -> {
			Retained stream = this.streams.get(streamId);
			return stream == null || now() - stream.lastTouched > grace.toNanos();
		});
	}

	@Override
	public Mono<Void> requestStop(String streamId) {
		return Mono.fromRunnable(() -> this.stops.tryEmitNext(streamId));
	}

	@Override
	public Flux<String> stopRequests() {
		return this.stops.asFlux();
	}

	/** How many streams are retained now. */
	int size() {
		return this.streams.size();
	}

	private long now() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

	/** One stream's events and the readers waiting for more. */
	private final class Retained {

		private final @Nullable String owner;

		private final List<ResumeEntry> entries = new ArrayList<>();

		private final List<FluxSink<ResumeEntry>> readers = new ArrayList<>(1);

		private boolean finished;

		private Disposable expiry = () -> {
		};

		volatile long lastTouched;

		Retained(@Nullable String owner, long now) {
			this.owner = owner;
			this.lastTouched = now;
		}

		synchronized void expireAfter(Duration lifetime, Runnable remove) {
			this.expiry.dispose();
			this.expiry = MemoryResumeStore.this.scheduler.schedule(remove, lifetime.toNanos(), TimeUnit.NANOSECONDS);
		}

		synchronized void append(ResumeEntry entry) {
			if (this.finished) {
				return;
			}
			this.entries.add(entry);
			this.finished = entry.terminal();
			// A copy: a reader that completes or leaves removes itself from the list meanwhile.
			List<FluxSink<ResumeEntry>> current = List.copyOf(this.readers);
			if (this.finished) {
				this.readers.clear();
			}
			for (FluxSink<ResumeEntry> reader : current) {
				reader.next(entry);
				if (this.finished) {
					reader.complete();
				}
			}
		}

		Flux<ResumeEntry> read(long after) {
			// Replay and registration happen under the lock that appends take: nothing falls between.
			return Flux.create((sink) -> {
				synchronized (this) {
					for (ResumeEntry entry : this.entries) {
						if (entry.seq() > after) {
							sink.next(entry);
						}
					}
					if (this.finished) {
						sink.complete();
						return;
					}
					this.readers.add(sink);
				}
				sink.onDispose(() -> {
					synchronized (this) {
						this.readers.remove(sink);
					}
				});
			}, FluxSink.OverflowStrategy.BUFFER);
		}

	}

}
