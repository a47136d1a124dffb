package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Dedalus metrics when the application has a {@link MeterRegistry} and
 * {@code dedalus.metrics.enabled} is not false: a {@link DedalusMeterObservationHandler} that
 * Spring Boot adds to the application's observation registry.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass({ DedalusClient.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "dedalus.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "dedalus.metrics.enabled", matchIfMissing = true)
public final class DedalusMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusMeterObservationHandler dedalusMeterObservationHandler(MeterRegistry meterRegistry) {
		return new DedalusMeterObservationHandler(meterRegistry);
	}

}
