package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Token budgets on Spring MVC.
 */
@SpringBootTest(classes = ProxyApplications.WithMeters.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0", "dedalus.proxy.allowed-models=openai/*",
				"dedalus.proxy.max-completion-tokens=50", "dedalus.proxy.token-budget.limit=100",
				"dedalus.proxy.token-budget.window=1h", "server.forward-headers-strategy=framework" })
@AutoConfigureDedalusMock
class ProxyBudgetMvcTests extends ProxyBudgetTests {

}
