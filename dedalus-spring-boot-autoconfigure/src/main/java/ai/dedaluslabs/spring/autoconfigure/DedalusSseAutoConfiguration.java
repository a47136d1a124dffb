package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.spring.web.SseFrames;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.resume.MemoryResumeStore;
import ai.dedaluslabs.spring.web.resume.ResumableStreams;
import ai.dedaluslabs.spring.web.resume.ResumeListener;
import ai.dedaluslabs.spring.web.resume.ResumeSettings;
import ai.dedaluslabs.spring.web.resume.ResumeStore;
import ai.dedaluslabs.spring.web.resume.redis.RedisResumeStore;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
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
@AutoConfiguration(after = DedalusAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
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

	@Bean
	@ConditionalOnMissingBean
	ResumableStreams dedalusResumableStreams(ResumeStore store, DedalusProperties properties, SseFrames frames,
			ObjectProvider<ResumeListener> listener) {
		DedalusProperties.Sse.Resume resume = properties.getSse().getResume();
		ResumeSettings settings;
		try {
			settings = new ResumeSettings(resume.getGrace(), resume.getRetention(), resume.getMaxStreams(),
					resume.getMaxEvents());
		}
		catch (IllegalArgumentException ex) {
			throw new DedalusConfigurationException("dedalus.sse.resume", String.valueOf(ex.getMessage()),
					"Set the property to a positive value, or remove it to use its default.", ex);
		}
		return new ResumableStreams(store, settings, frames, listener.getIfAvailable(() -> ResumeListener.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = RESUME_STORE, havingValue = "memory", matchIfMissing = true)
	MemoryResumeStore dedalusMemoryResumeStore() {
		return new MemoryResumeStore();
	}

	private static final String RESUME_STORE = "dedalus.sse.resume.store";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = RESUME_STORE, havingValue = "redis")
	@ConditionalOnClass(name = RedisStores.CONNECTION_FACTORY)
	static class RedisResume {

		@Bean
		@ConditionalOnMissingBean
		RedisResumeStore dedalusRedisResumeStore(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
				DedalusProperties properties) {
			ReactiveRedisConnectionFactory factory = RedisStores.require(connectionFactory.getIfAvailable(), RESUME_STORE);
			return new RedisResumeStore(factory, properties.getSse().getResume().getRedisKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = RESUME_STORE, havingValue = "redis")
	@ConditionalOnMissingClass(RedisStores.CONNECTION_FACTORY)
	static class RedisResumeMissing {

		@Bean
		ResumeStore dedalusRedisResumeStore() {
			throw RedisStores.missingLibrary(RESUME_STORE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBooleanProperty(name = "dedalus.metrics.enabled", matchIfMissing = true)
	static class ResumeMetrics {

		@Bean
		@ConditionalOnMissingBean
		ResumeListener dedalusResumeMetrics(MeterRegistry registry) {
			return new ResumeStreamMetrics(registry);
		}

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
