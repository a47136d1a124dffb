package ai.dedaluslabs.spring.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import ai.dedaluslabs.client.DedalusClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The opt-in {@code dedalus} health indicator ({@code management.health.dedalus.enabled=true}):
 * off by default, because a health check that calls a paid API should be a decision.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusAutoConfiguration.class)
@ConditionalOnClass({ DedalusClient.class, HealthIndicator.class })
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnBooleanProperty(name = "management.health.dedalus.enabled")
public final class DedalusHealthAutoConfiguration {

	@Bean(name = "dedalusHealthIndicator")
	@ConditionalOnMissingBean(name = "dedalusHealthIndicator")
	DedalusHealthIndicator dedalusHealthIndicator(DedalusClient client) {
		return new DedalusHealthIndicator(client, Duration.ofSeconds(30), Clock.systemUTC());
	}

}
