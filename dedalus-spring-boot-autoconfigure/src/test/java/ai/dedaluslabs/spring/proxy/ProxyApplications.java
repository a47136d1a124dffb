package ai.dedaluslabs.spring.proxy;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Empty applications: the endpoint comes from auto-configuration alone.
 */
final class ProxyApplications {

	private ProxyApplications() {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	/** With a meter registry, as an application with Actuator has. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WithMeters {

		@org.springframework.context.annotation.Bean
		io.micrometer.core.instrument.MeterRegistry meterRegistry() {
			return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		}

	}

}
