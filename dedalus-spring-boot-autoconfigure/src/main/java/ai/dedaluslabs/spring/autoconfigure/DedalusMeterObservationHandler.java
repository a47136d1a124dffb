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
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
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
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		Meters meters = this.meters.get(keyValues);
		if (meters == null) {
			meters = this.meters.computeIfAbsent(keyValues, (key) -> new Meters(key, this.registry));
		}
		Timer.Sample sample = context.get(Timer.Sample.class);
		if (sample != null) {
			sample.stop((Timer) meters.meter(Meters.DURATION));
		}
		Usage usage = context.usage();
		if (usage != null) {
			((DistributionSummary) meters.meter(Meters.INPUT_TOKENS)).record(usage.promptTokens());
			((DistributionSummary) meters.meter(Meters.OUTPUT_TOKENS)).record(usage.completionTokens());
		}
		if (context.streaming()) {
			this.activeStreams.decrementAndGet();
			if (context.firstChunkNanos() >= 0) {
				((Timer) meters.meter(Meters.TIME_TO_FIRST_CHUNK)).record(context.firstChunkNanos(),
						TimeUnit.NANOSECONDS);
			}
			((Counter) meters.meter(Meters.STREAMS + context.outcome().ordinal())).increment();
		}
	}

	/**
	 * The meters of one set of key values, each registered when first needed, so that a meter
	 * appears only once it has something to show. Two threads that register the same meter at once
	 * get the same one from the registry.
	 */
	private static final class Meters {

		static final int DURATION = 0;

		static final int INPUT_TOKENS = 1;

		static final int OUTPUT_TOKENS = 2;

		static final int TIME_TO_FIRST_CHUNK = 3;

		/** The first of the stream counters, one for each outcome, by its ordinal. */
		static final int STREAMS = 4;

		private static final ChatObservationContext.Outcome[] OUTCOMES = ChatObservationContext.Outcome.values();

		private final List<Tag> withError = new ArrayList<>();

		private final List<Tag> base = new ArrayList<>();

		private final MeterRegistry registry;

		private final AtomicReferenceArray<Meter> meters = new AtomicReferenceArray<>(STREAMS + OUTCOMES.length);

		Meters(KeyValues keyValues, MeterRegistry registry) {
			for (KeyValue keyValue : keyValues) {
				Tag tag = Tag.of(keyValue.getKey(), keyValue.getValue());
				this.withError.add(tag);
				if (!ERROR_TYPE.equals(keyValue.getKey())) {
					this.base.add(tag);
				}
			}
			this.registry = registry;
		}

		Meter meter(int slot) {
			Meter meter = this.meters.get(slot);
			if (meter == null) {
				meter = register(slot);
				this.meters.set(slot, meter);
			}
			return meter;
		}

		private Meter register(int slot) {
			return switch (slot) {
				case DURATION -> Timer.builder("gen_ai.client.operation.duration")
					.description("Duration of a Dedalus chat operation, retries included")
					.tags(this.withError)
					.register(this.registry);
				case INPUT_TOKENS -> tokens("input");
				case OUTPUT_TOKENS -> tokens("output");
				case TIME_TO_FIRST_CHUNK -> Timer.builder("gen_ai.client.operation.time_to_first_chunk")
					.description("Time from the start of a Dedalus stream to its first chunk")
					.tags(this.base)
					.register(this.registry);
				default -> this.registry.counter("dedalus.client.streams",
						Tags.of(this.base).and("outcome", outcome(OUTCOMES[slot - STREAMS])));
			};
		}

		private DistributionSummary tokens(String type) {
			return DistributionSummary.builder("gen_ai.client.token.usage")
				.description("Tokens a Dedalus operation used, as the API reported them")
				.baseUnit("{token}")
				.tags(this.base)
				.tag("gen_ai.token.type", type)
				.serviceLevelObjectives(TOKEN_BUCKETS)
				.register(this.registry);
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
