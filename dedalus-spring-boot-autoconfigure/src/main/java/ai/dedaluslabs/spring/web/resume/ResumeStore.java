package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where resumable streams keep their events while they are retained: {@link MemoryResumeStore}
 * for one instance, {@code ai.dedaluslabs.spring.web.resume.redis.RedisResumeStore} (Redis
 * Streams) so that a browser can reconnect to any instance.
 *
 * <p>
 * The instance that started a stream appends its events in order and finishes it; any instance
 * reads it. Readers mark their presence with {@link #touch}; the generating instance asks
 * {@link #idleLongerThan} to decide when nobody has been reading for the grace period.
 *
 * @since 0.1.0
 */
public interface ResumeStore {

	/**
	 * Record a new stream.
	 * @param streamId its id
	 * @param owner the principal that started it, or {@code null} when anonymous
	 * @param maxStreams the most streams retained at once
	 * @param lifetime how long the record lives unless extended: the grace period and the retention,
	 * so that a stream whose instance died goes away by itself
	 * @return {@code false} when {@code maxStreams} are retained already
	 */
	Mono<Boolean> create(String streamId, @Nullable String owner, int maxStreams, Duration lifetime);

	/**
	 * Look a stream up.
	 * @param streamId its id
	 * @return the stream's record, or empty when it is not (or no longer) retained
	 */
	Mono<StreamRecord> find(String streamId);

	/**
	 * Append an event; entries arrive in order, one at a time.
	 * @param streamId the stream
	 * @param entry the event
	 * @param lifetime how long the stream lives from now unless extended again
	 * @return completes when stored
	 */
	Mono<Void> append(String streamId, ResumeEntry entry, Duration lifetime);

	/**
	 * Every event after a position, then the live rest, completing after the terminal event; empty
	 * when the stream is not retained.
	 * @param streamId the stream
	 * @param after the position of the last event the reader has, {@code 0} for all
	 * @return the events
	 */
	Flux<ResumeEntry> read(String streamId, long after);

	/**
	 * Note that a reader is attached now.
	 * @param streamId the stream
	 * @return completes when noted
	 */
	Mono<Void> touch(String streamId);

	/**
	 * Whether no reader has been attached for longer than the grace period.
	 * @param streamId the stream
	 * @param grace the grace period
	 * @return {@code true} when the stream has been unread for longer
	 */
	Mono<Boolean> idleLongerThan(String streamId, Duration grace);

	/**
	 * Ask the instance that runs a stream to stop it.
	 * @param streamId the stream
	 * @return completes when asked
	 */
	Mono<Void> requestStop(String streamId);

	/**
	 * The ids of streams whose stop was requested, on any instance; the generating instance
	 * subscribes once and stops those it runs.
	 * @return the ids, hot
	 */
	Flux<String> stopRequests();

	/**
	 * A retained stream.
	 *
	 * @param owner the principal that started it, or {@code null}
	 */
	record StreamRecord(@Nullable String owner) {
	}

}
