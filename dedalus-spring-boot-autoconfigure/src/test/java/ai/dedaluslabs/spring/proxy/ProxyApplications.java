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

}
