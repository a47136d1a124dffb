package ai.dedaluslabs.spring.autoconfigure;

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

	ProxyTokenMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void spent(String outcome, boolean estimated, long tokens) {
		Counter.builder("dedalus.proxy.tokens")
			.description("Tokens charged to callers' budgets by the front-end endpoint")
			.baseUnit("tokens")
			.tag("outcome", outcome)
			.tag("source", estimated ? "estimated" : "reported")
			.register(this.registry)
			.increment(tokens);
	}

}
