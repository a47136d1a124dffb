package ai.dedaluslabs.sample;

import java.time.Duration;

import ai.dedaluslabs.spring.autoconfigure.DedalusClientCustomizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The simulated model, used exactly when {@code dedalus.api-key} resolves empty (the property and
 * the {@code DEDALUS_API_KEY} variable), or when {@code sample.simulate=true}: the app's own client
 * is pointed at it with a dummy key, so the missing-key start-up failure never fires for the sample.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SimulationConfiguration.WithoutApiKey.class)
class SimulationConfiguration {

	private static final Log logger = LogFactory.getLog(SimulationConfiguration.class);

	@Bean
	SimulatedDedalus simulatedDedalus(Environment environment) {
		Duration interval = environment.getProperty("sample.simulated-token-interval", Duration.class,
				Duration.ofMillis(40));
		SimulatedDedalus simulated = new SimulatedDedalus(interval);
		logger.warn("No Dedalus API key is set (dedalus.api-key / DEDALUS_API_KEY): the sample app answers with the "
				+ "SIMULATED model '" + SimulatedDedalus.MODEL + "' at " + simulated.baseUrl()
				+ ". Start it with --dedalus.api-key=... to talk to the real API.");
		return simulated;
	}

	@Bean
	DedalusClientCustomizer simulatedModelClient(SimulatedDedalus simulated) {
		return (builder) -> builder.apiKey("simulated-no-key").baseUrl(simulated.baseUrl());
	}

	/** True when no API key resolves, or when the simulation is forced. */
	static final class WithoutApiKey implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			String mode = environment.getProperty("sample.simulate", "auto");
			if ("true".equalsIgnoreCase(mode) || "false".equalsIgnoreCase(mode)) {
				return Boolean.parseBoolean(mode);
			}
			return !StringUtils.hasText(environment.getProperty("dedalus.api-key"))
					&& !StringUtils.hasText(environment.getProperty("DEDALUS_API_KEY"));
		}

	}

}
