package ai.dedaluslabs.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.observation.ChatObservationContext;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * Records the Dedalus meters from each chat observation, once per logical operation (retries
 * included) when it completes, fails or is cancelled:
 * <ul>
 * <li>{@code gen_ai.client.token.usage}: tokens the API reported, tagged
 * {@code gen_ai.token.type=input|output}, with the OpenTelemetry GenAI buckets (1, 4, 16, ...
 * 67108864);</li>
 * <li>{@code gen_ai.client.operation.duration}: the operation's duration, with {@code error.type};</li>
 * <li>{@code gen_ai.client.operation.time_to_first_chunk}: for streams that produced a chunk;</li>
 * <li>{@code dedalus.client.streams}: one count per stream with {@code outcome=completed|cancelled|error};</li>
 * <li>{@code dedalus.client.streams.active}: streams open now.</li>
 * </ul>
 * Tags come from the observation's low-cardinality key values (see
 * {@link ai.dedaluslabs.client.observation.DefaultChatObservationConvention}), so a replaced
 * convention renames them everywhere. Every meter of one name always carries the same tag keys.
 *
 * <p>
 * It is the meter handler of chat observations: Spring Boot tries its meter handlers in order and
 * lets the first that supports an observation record it, and this one comes before Boot's
 * {@code DefaultMeterObservationHandler}. So an operation's duration is timed once, as
 * {@code gen_ai.client.operation.duration}, not a second time as a {@code gen_ai.client.operation}
 * timer with a {@code gen_ai.client.operation.active} long task timer beside it; every other
 * observation (HTTP server and client requests, say) still goes to Boot's handler.
 *
 * @since 0.1.0
 */
public class DedalusMeterObservationHandler implements MeterObservationHandler<ChatObservationContext>, Ordered {

	/**
	 * This handler's place among the application's meter observation handlers: before Boot's
	 * default one, which has no order; after any that asks for {@link Ordered#HIGHEST_PRECEDENCE}.
	 */
	public static final int ORDER = 0;

	private static final double[] TOKEN_BUCKETS = tokenBuckets();

	private static final String ERROR_TYPE = "error.type";

	private static final String[] TOKEN_TYPES = { "input", "output" };

	private static final int INPUT = 0;

	private static final int OUTPUT = 1;

	private final MeterRegistry registry;

	private final AtomicInteger activeStreams = new AtomicInteger();

	/**
	 * The meters of each set of key values, each registered once: otherwise five builders, their
	 * tags, a distribution's configuration and the registry's lookups ran for every operation.
	 * Low-cardinality key values are few by definition, and the registry keeps a meter for each of
	 * them anyway. (A meter removed from the registry by hand is not registered again.)
	 */
	private final Map<KeyValues, Meters> meters = new ConcurrentHashMap<>();

	/**
	 * Create a handler.
	 * @param registry where the meters go
	 */
	public DedalusMeterObservationHandler(MeterRegistry registry) {
		this.registry = registry;
		registry.gauge("dedalus.client.streams.active",
				Tags.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "dedalus"), this.activeStreams);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ChatObservationContext;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onStart(ChatObservationContext context) {
		context.put(Timer.Sample.class, Timer.start(this.registry));
		if (context.streaming()) {
			this.activeStreams.incrementAndGet();
		}
	}

	@Override
	public void onStop(ChatObservationContext context) {
		Meters meters = this.meters.computeIfAbsent(context.getLowCardinalityKeyValues(), Meters::new);
		Timer.Sample sample = context.get(Timer.Sample.class);
		if (sample != null) {
			sample.stop(meters.duration(this.registry));
		}
		Usage usage = context.usage();
		if (usage != null) {
			meters.tokens(this.registry, INPUT).record(usage.promptTokens());
			meters.tokens(this.registry, OUTPUT).record(usage.completionTokens());
		}
		if (context.streaming()) {
			this.activeStreams.decrementAndGet();
			if (context.firstChunkNanos() >= 0) {
				meters.timeToFirstChunk(this.registry).record(context.firstChunkNanos(), TimeUnit.NANOSECONDS);
			}
			meters.streams(this.registry, context.outcome()).increment();
		}
	}

	/**
	 * The meters of one set of key values, each registered when first needed, so that a meter
	 * appears only once it has something to show. Two threads that register the same meter at once
	 * get the same one from the registry.
	 */
	private static final class Meters {

		private final List<Tag> withError = new ArrayList<>();

		private final List<Tag> base = new ArrayList<>();

		private volatile @Nullable Timer duration;

		/** By {@link #INPUT} and {@link #OUTPUT}. */
		private final AtomicReferenceArray<DistributionSummary> tokens = new AtomicReferenceArray<>(TOKEN_TYPES.length);

		private volatile @Nullable Timer timeToFirstChunk;

		private final AtomicReferenceArray<Counter> streams = new AtomicReferenceArray<>(
				ChatObservationContext.Outcome.values().length);

		Meters(KeyValues keyValues) {
			for (KeyValue keyValue : keyValues) {
				Tag tag = Tag.of(keyValue.getKey(), keyValue.getValue());
				this.withError.add(tag);
				if (!ERROR_TYPE.equals(keyValue.getKey())) {
					this.base.add(tag);
				}
			}
		}

		Timer duration(MeterRegistry registry) {
			Timer timer = this.duration;
			if (timer == null) {
				timer = Timer.builder("gen_ai.client.operation.duration")
					.description("Duration of a Dedalus chat operation, retries included")
					.tags(this.withError)
					.register(registry);
				this.duration = timer;
			}
			return timer;
		}

		DistributionSummary tokens(MeterRegistry registry, int type) {
			DistributionSummary summary = this.tokens.get(type);
			if (summary == null) {
				summary = DistributionSummary.builder("gen_ai.client.token.usage")
					.description("Tokens a Dedalus operation used, as the API reported them")
					.baseUnit("{token}")
					.tags(this.base)
					.tag("gen_ai.token.type", TOKEN_TYPES[type])
					.serviceLevelObjectives(TOKEN_BUCKETS)
					.register(registry);
				this.tokens.set(type, summary);
			}
			return summary;
		}

		Timer timeToFirstChunk(MeterRegistry registry) {
			Timer timer = this.timeToFirstChunk;
			if (timer == null) {
				timer = Timer.builder("gen_ai.client.operation.time_to_first_chunk")
					.description("Time from the start of a Dedalus stream to its first chunk")
					.tags(this.base)
					.register(registry);
				this.timeToFirstChunk = timer;
			}
			return timer;
		}

		Counter streams(MeterRegistry registry, ChatObservationContext.Outcome outcome) {
			Counter counter = this.streams.get(outcome.ordinal());
			if (counter == null) {
				counter = registry.counter("dedalus.client.streams", Tags.of(this.base).and("outcome", outcome(outcome)));
				this.streams.set(outcome.ordinal(), counter);
			}
			return counter;
		}

	}

	private static String outcome(ChatObservationContext.Outcome outcome) {
		return switch (outcome) {
			case COMPLETED -> "completed";
			case CANCELLED -> "cancelled";
			case ERROR -> "error";
		};
	}

	private static double[] tokenBuckets() {
		double[] buckets = new double[14];
		double bucket = 1;
		for (int i = 0; i < buckets.length; i++) {
			buckets[i] = bucket;
			bucket *= 4;
		}
		return buckets;
	}

}
