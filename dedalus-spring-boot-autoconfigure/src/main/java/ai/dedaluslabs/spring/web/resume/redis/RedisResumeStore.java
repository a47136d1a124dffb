package ai.dedaluslabs.spring.web.resume.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import ai.dedaluslabs.spring.web.resume.ResumeEntry;
import ai.dedaluslabs.spring.web.resume.ResumeStore;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Resumable streams in Redis, so that a browser can reconnect to any instance: each stream is a
 * Redis Stream of its events beside a small hash (its owner, when a reader was last attached),
 * both expiring by themselves (the grace period and retention while it runs, the retention once it
 * ended), so a stream whose instance died goes away too.
 *
 * <p>
 * The generating instance appends each event with one Lua script (append, extend, notify) and
 * publishes the event's position on the stream's channel. A reader on any instance reads the
 * events after its position with {@code XRANGE} whenever a notification arrives, and once a second
 * besides, so a missed notification delays an event by at most that second and never loses it.
 * All readers of one instance share the application's connection for commands and one pub/sub
 * connection; no reader holds a connection of its own.
 *
 * @since 0.1.0
 */
public final class RedisResumeStore implements ResumeStore, AutoCloseable {

	private static final String NOW = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			""";

	private static final RedisScript<Long> CREATE = RedisScript.of(NOW + """
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
			  return 0
			end
			redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
			redis.call('HSET', KEYS[2], 'owner', ARGV[4], 'touched', now)
			redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
			return 1
			""", Long.class);

	private static final RedisScript<Long> APPEND = RedisScript.of(NOW + """
			if redis.call('EXISTS', KEYS[2]) == 0 then
			  return 0
			end
			redis.call('XADD', KEYS[1], '*', 's', ARGV[1], 'k', ARGV[2], 'p', ARGV[3])
			redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
			redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
			redis.call('ZADD', KEYS[3], 'XX', now + tonumber(ARGV[4]), ARGV[6])
			redis.call('PUBLISH', ARGV[5], ARGV[1])
			return 1
			""", Long.class);

	private static final RedisScript<Long> TOUCH = RedisScript.of(NOW + """
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  redis.call('HSET', KEYS[1], 'touched', now)
			end
			return 1
			""", Long.class);

	private static final RedisScript<Long> IDLE = RedisScript.of(NOW + """
			local touched = redis.call('HGET', KEYS[1], 'touched')
			if not touched then
			  return 1
			end
			if now - tonumber(touched) > tonumber(ARGV[1]) then
			  return 1
			end
			return 0
			""", Long.class);

	private static final Duration POLL = Duration.ofSeconds(1);

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final String prefix;

	/**
	 * Create a store on the application's Redis connection.
	 * @param connectionFactory the connection, as Spring Boot configures it from
	 * {@code spring.data.redis.*}
	 * @param keyPrefix the prefix of every key and channel
	 */
	public RedisResumeStore(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.listeners = new ReactiveRedisMessageListenerContainer(connectionFactory);
		this.prefix = keyPrefix;
	}

	@Override
	public Mono<Boolean> create(String streamId, @Nullable String owner, int maxStreams, Duration lifetime) {
		return this.redis
			.execute(CREATE, List.of(registry(), meta(streamId)), List.of(streamId, Integer.toString(maxStreams),
					Long.toString(lifetime.toMillis()), (owner != null) ? "=" + owner : ""))
			.next()
			.map((created) -> created == 1L);
	}

	@Override
	public Mono<StreamRecord> find(String streamId) {
		return this.redis.<String, String>opsForHash().get(meta(streamId), "owner").map((owner) -> new StreamRecord(
				owner.startsWith("=") ? owner.substring(1) : null));
	}

	@Override
	public Mono<Void> append(String streamId, ResumeEntry entry, Duration lifetime) {
		return this.redis
			.execute(APPEND, List.of(events(streamId), meta(streamId), registry()),
					List.of(Long.toString(entry.seq()), entry.kind().name(), entry.payload(),
							Long.toString(lifetime.toMillis()), channel(streamId), streamId))
			.then();
	}

	@Override
	public Flux<ResumeEntry> read(String streamId, long after) {
		return Flux.defer(() -> {
			AtomicReference<String> lastRecord = new AtomicReference<>("-");
			Flux<Object> notifications = this.listeners.receive(ChannelTopic.of(channel(streamId))).cast(Object.class);
			Flux<Object> triggers = Flux.merge(Flux.interval(Duration.ZERO, POLL).cast(Object.class), notifications)
				.onBackpressureLatest();
			return triggers.concatMap((trigger) -> since(streamId, lastRecord), 1)
				.concatMap((batch) -> (batch == Batch.GONE) ? Flux.error(new StreamGone())
						: Flux.fromIterable(batch.entries()))
				.filter((entry) -> entry.seq() > after)
				.takeUntil(ResumeEntry::terminal)
				.onErrorResume(StreamGone.class, (gone) -> Flux.empty());
		});
	}

	/** The events after the last record read, or {@link Batch#GONE} when the stream has expired. */
	private Mono<Batch> since(String streamId, AtomicReference<String> lastRecord) {
		String from = lastRecord.get();
		Range<String> range = "-".equals(from) ? Range.unbounded() : Range.leftOpen(from, "+");
		return this.redis.<String, String>opsForStream()
			.range(events(streamId), range, Limit.unlimited())
			.collectList()
			.flatMap((records) -> {
				if (records.isEmpty()) {
					return this.redis.hasKey(meta(streamId)).map((exists) -> exists ? Batch.EMPTY : Batch.GONE);
				}
				List<ResumeEntry> entries = new ArrayList<>(records.size());
				for (MapRecord<String, String, String> record : records) {
					Map<String, String> fields = record.getValue();
					entries.add(new ResumeEntry(Long.parseLong(fields.get("s")), ResumeEntry.Kind.valueOf(fields.get("k")),
							fields.getOrDefault("p", "")));
				}
				lastRecord.set(records.get(records.size() - 1).getId().getValue());
				return Mono.just(new Batch(entries));
			});
	}

	@Override
	public Mono<Void> touch(String streamId) {
		return this.redis.execute(TOUCH, List.of(meta(streamId)), List.of()).then();
	}

	@Override
	public Mono<Boolean> idleLongerThan(String streamId, Duration grace) {
		return this.redis.execute(IDLE, List.of(meta(streamId)), List.of(Long.toString(grace.toMillis())))
			.next()
			.map((idle) -> idle == 1L);
	}

	@Override
	public Mono<Void> requestStop(String streamId) {
		return this.redis.convertAndSend(stops(), streamId).then();
	}

	@Override
	public Flux<String> stopRequests() {
		return this.listeners.receive(ChannelTopic.of(stops()))
			.map((message) -> message.getMessage())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)));
	}

	/** Close the pub/sub connection. */
	@Override
	public void close() {
		this.listeners.destroy();
	}

	private String registry() {
		return this.prefix + ":streams";
	}

	private String meta(String streamId) {
		return this.prefix + ":{" + streamId + "}:meta";
	}

	private String events(String streamId) {
		return this.prefix + ":{" + streamId + "}:events";
	}

	private String channel(String streamId) {
		return this.prefix + ":{" + streamId + "}:appended";
	}

	private String stops() {
		return this.prefix + ":stops";
	}

	/** One read's events. */
	private record Batch(List<ResumeEntry> entries) {

		static final Batch EMPTY = new Batch(List.of());

		static final Batch GONE = new Batch(List.of());

	}

	/** The stream expired while read: the reader ends. */
	private static final class StreamGone extends RuntimeException {

		private static final long serialVersionUID = 1L;

		StreamGone() {
			super("stream gone", null, false, false);
		}

	}

}
