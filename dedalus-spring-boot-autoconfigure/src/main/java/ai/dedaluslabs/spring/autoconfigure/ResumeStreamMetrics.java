package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.spring.web.resume.ResumeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Resumable streams in Micrometer: {@code dedalus.sse.resume.connections} counts browsers that
 * reconnected to a retained stream, {@code dedalus.sse.resume.cancelled} (tag {@code reason} =
 * {@code abandoned} | {@code stopped} | {@code too_long}) streams cancelled upstream before their end.
 */
final class ResumeStreamMetrics implements ResumeListener {

	private final Counter resumed;

	private final MeterRegistry registry;

	ResumeStreamMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.resumed = Counter.builder("dedalus.sse.resume.connections")
			.description("Browsers that reconnected to a retained stream with Last-Event-ID")
			.register(registry);
	}

	@Override
	public void resumed() {
		this.resumed.increment();
	}

	@Override
	public void cancelled(String reason) {
		Counter.builder("dedalus.sse.resume.cancelled")
			.description("Resumable streams cancelled upstream before their end")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

}
