package ai.dedaluslabs.spring.proxy;

import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The endpoint on WebFlux (Netty).
 */
@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "dedalus.proxy.enabled=true",
				"dedalus.max-retries=0", "dedalus.proxy.allowed-models=openai/*,anthropic/claude-haiku-4",
				"dedalus.proxy.max-completion-tokens=1000", "dedalus.proxy.max-request-size=2KB",
				"dedalus.proxy.max-concurrent-requests=2" })
@AutoConfigureDedalusMock
class ProxyWebFluxTests extends ProxyEndpointTests {

	@Override
	Duration upstreamStartWhileCallersLeave() {
		// Netty sees a departed caller at once: the upstream answers only after the test.
		return Duration.ofSeconds(20);
	}

}
