package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import ai.dedaluslabs.spring.proxy.reactive.ProxyWebFluxController;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.Resource;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void routesNameTheEndpointForMappingsAndCheckpoints(@Autowired ProxyWebFluxController controller) {
		List<String> handlers = new ArrayList<>();
		controller.accept(new RouterFunctions.Visitor() {

			@Override
			public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
				handlers.add(handler.toString());
			}

			@Override
			public void startNested(RequestPredicate predicate) {
			}

			@Override
			public void endNested(RequestPredicate predicate) {
			}

			@Override
			public void resources(Function<ServerRequest, Mono<Resource>> lookup) {
			}

			@Override
			public void attributes(Map<String, Object> attributes) {
			}

			@Override
			public void unknown(RouterFunction<?> routerFunction) {
				handlers.add("unknown " + routerFunction);
			}

		});
		assertThat(handlers).containsExactly("Dedalus endpoint POST /dedalus/v1/chat/completions",
				"Dedalus endpoint /dedalus/v1/chat/completions (405)", "Dedalus endpoint GET /dedalus/v1/models",
				"Dedalus endpoint /dedalus/v1/models (405)");
	}

}
