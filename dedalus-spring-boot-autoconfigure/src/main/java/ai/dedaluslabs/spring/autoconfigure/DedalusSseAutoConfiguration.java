package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.internal.WireJson;
import ai.dedaluslabs.spring.web.DedalusSseForwarder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link DedalusSseForwarder} in Spring MVC and WebFlux applications, with
 * {@code dedalus.sse.heartbeat} and {@code dedalus.sse.timeout}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusAutoConfiguration.class)
@ConditionalOnClass({ DedalusClient.class, DedalusSseForwarder.class })
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnWebApplication
public final class DedalusSseAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusSseForwarder dedalusSseForwarder(DedalusProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		return new DedalusSseForwarder(WireJson.derive(jsonMapper.getIfAvailable()), properties.getSse().getHeartbeat(),
				properties.getSse().getTimeout(), Schedulers.parallel());
	}

}
