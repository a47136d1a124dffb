package ai.dedaluslabs.spring.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import ai.dedaluslabs.spring.proxy.ProxyTokenMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dedalus.proxy.tokens}: the tokens the front-end endpoint charged to callers' budgets,
 * tagged by {@code outcome} ({@code completed}, {@code cancelled}, {@code failed}) and
 * {@code source} ({@code reported} by the API, or {@code estimated} for a request that ended
 * without usage). No caller tag: the number of series stays bounded whatever the traffic.
 */
final class ProxyTokenMetrics implements ProxyTokenMeter {

	private final MeterRegistry registry;

	/**
	 * Each outcome's counters, reported and estimated, each registered when first charged (a
	 * counter appears once it has counted something) and then kept: a builder, its tags and the
	 * registry's lookup cost about a kilobyte for every request otherwise.
	 */
	private final Map<String, AtomicReferenceArray<Counter>> counters = new ConcurrentHashMap<>();

	ProxyTokenMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void spent(String outcome, boolean estimated, long tokens) {
		AtomicReferenceArray<Counter> sources = this.counters.get(outcome);
		if (sources == null) {
			sources = this.counters.computeIfAbsent(outcome, (key) -> new AtomicReferenceArray<>(2));
		}
		int source = estimated ? 1 : 0;
		Counter counter = sources.get(source);
		if (counter == null) {
			// Two threads that register it at once get the same counter from the registry.
			counter = counter(outcome, estimated ? "estimated" : "reported");
			sources.set(source, counter);
		}
		counter.increment(tokens);
	}

	private Counter counter(String outcome, String source) {
		return Counter.builder("dedalus.proxy.tokens")
			.description("Tokens charged to callers' budgets by the front-end endpoint")
			.baseUnit("tokens")
			.tag("outcome", outcome)
			.tag("source", source)
			.register(this.registry);
	}

}
