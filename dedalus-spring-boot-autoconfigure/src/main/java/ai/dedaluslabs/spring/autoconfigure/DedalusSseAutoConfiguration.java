package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.spring.web.SseFrames;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * SSE forwarding in web applications, one entry point per web stack, each in a nested
 * configuration guarded by its stack's classes so that no bean ever names a type of a stack the
 * application lacks: {@link DedalusSseEmitterForwarder} in servlet applications with Spring MVC,
 * {@link DedalusServerSentEventForwarder} in every web application (WebFlux, and Spring MVC, which
 * writes a {@code Flux} too). Both share one {@link SseFrames} with {@code dedalus.sse.heartbeat}
 * and {@code dedalus.sse.timeout}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusAutoConfiguration.class)
@ConditionalOnClass({ DedalusClient.class, SseFrames.class })
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnWebApplication
public final class DedalusSseAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseFrames dedalusSseFrames(DedalusProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		return new SseFrames(WireJson.derive(jsonMapper.getIfAvailable()), properties.getSse().getHeartbeat(),
				properties.getSse().getTimeout(), Schedulers.parallel());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.http.codec.ServerSentEvent")
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		DedalusServerSentEventForwarder dedalusServerSentEventForwarder(SseFrames frames) {
			return new DedalusServerSentEventForwarder(frames);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.mvc.method.annotation.SseEmitter")
	static class Servlet {

		@Bean
		@ConditionalOnMissingBean
		DedalusSseEmitterForwarder dedalusSseEmitterForwarder(SseFrames frames) {
			return new DedalusSseEmitterForwarder(frames);
		}

	}

}
