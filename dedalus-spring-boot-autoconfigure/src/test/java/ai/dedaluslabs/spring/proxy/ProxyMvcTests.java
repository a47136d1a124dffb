package ai.dedaluslabs.spring.proxy;

import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The endpoint on Spring MVC (Tomcat).
 */
@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0",
				"dedalus.proxy.allowed-models=openai/*,anthropic/claude-haiku-4",
				"dedalus.proxy.max-completion-tokens=1000", "dedalus.proxy.max-request-size=2KB",
				"dedalus.proxy.max-concurrent-requests=2" })
@AutoConfigureDedalusMock
class ProxyMvcTests extends ProxyEndpointTests {

	@Override
	Duration upstreamStartWhileCallersLeave() {
		// Tomcat sees a departed caller at its first write, once the upstream answered.
		return Duration.ofSeconds(2);
	}

}
