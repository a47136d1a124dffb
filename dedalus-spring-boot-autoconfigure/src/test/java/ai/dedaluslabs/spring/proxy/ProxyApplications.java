package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.spring.web.NonBlockingWrites;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Empty applications: the endpoint comes from auto-configuration alone (on Spring MVC with a
 * forwarder that allows only non-blocking writes, {@link NonBlockingWrites}).
 */
final class ProxyApplications {

	private ProxyApplications() {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(NonBlockingWrites.class)
	static class App {

	}

	/** With a meter registry, as an application with Actuator has. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(NonBlockingWrites.class)
	static class WithMeters {

		@org.springframework.context.annotation.Bean
		io.micrometer.core.instrument.MeterRegistry meterRegistry() {
			return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		}

	}

}
