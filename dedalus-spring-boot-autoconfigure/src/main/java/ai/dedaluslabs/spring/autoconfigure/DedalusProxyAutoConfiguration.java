package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.MemoryProxyStore;
import ai.dedaluslabs.spring.proxy.ProxySettings;
import ai.dedaluslabs.spring.proxy.ProxyStore;
import ai.dedaluslabs.spring.proxy.ProxyTokenMeter;
import ai.dedaluslabs.spring.proxy.reactive.ProxyWebFluxController;
import ai.dedaluslabs.spring.proxy.redis.RedisProxyStore;
import ai.dedaluslabs.spring.proxy.servlet.ProxyMvcController;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
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

/**
 * The OpenAI-compatible endpoint, only when {@code dedalus.proxy.enabled=true}: Spring MVC or
 * WebFlux controllers at {@code dedalus.proxy.path}, relaying with the server's credentials under
 * the {@code dedalus.proxy.*} rules, with per-caller state in memory or, with
 * {@code dedalus.proxy.store=redis}, in the application's Redis.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusSseAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass(DedalusClient.class)
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty("dedalus.proxy.enabled")
public final class DedalusProxyAutoConfiguration {

	private static final String STORE = "dedalus.proxy.store";

	@Bean
	@ConditionalOnMissingBean
	DedalusProxy dedalusProxy(DedalusClient client, DedalusProperties properties, ProxyStore store,
			ObjectProvider<ProxyTokenMeter> meter) {
		return new DedalusProxy(client, settings(properties.getProxy()), store,
				meter.getIfAvailable(() -> ProxyTokenMeter.NONE));
	}

	static ProxySettings settings(DedalusProperties.Proxy proxy) {
		DedalusProperties.Proxy.TokenBudget budget = proxy.getTokenBudget();
		Long limit = budget.getLimit();
		try {
			return new ProxySettings(proxy.getAllowedModels(), proxy.getMaxCompletionTokens(), proxy.getMaxChoices(),
					proxy.getAllowedFields(), proxy.getAllowedMcpServers(), proxy.getMaxConcurrentRequests(),
					proxy.getMaxRequestSize().toBytes(),
					(limit != null) ? new ProxySettings.TokenBudget(limit, budget.getWindow()) : null,
					proxy.getBodyReadTimeout(), proxy.getLeaseTtl(), proxy.getStoreTimeout());
		}
		catch (IllegalArgumentException ex) {
			throw new DedalusConfigurationException("dedalus.proxy", String.valueOf(ex.getMessage()),
					"Set the property to a positive value, or remove it to use its default.", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = STORE, havingValue = "memory", matchIfMissing = true)
	MemoryProxyStore dedalusProxyMemoryStore() {
		return new MemoryProxyStore();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	@ConditionalOnClass(name = RedisStores.CONNECTION_FACTORY)
	static class Redis {

		@Bean
		@ConditionalOnMissingBean
		RedisProxyStore dedalusProxyRedisStore(ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory,
				DedalusProperties properties) {
			ReactiveRedisConnectionFactory factory = RedisStores.require(connectionFactory.getIfAvailable(), STORE);
			return new RedisProxyStore(factory, properties.getProxy().getRedisKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	@ConditionalOnMissingClass(RedisStores.CONNECTION_FACTORY)
	static class RedisMissing {

		@Bean
		ProxyStore dedalusProxyRedisStore() {
			throw RedisStores.missingLibrary(STORE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBooleanProperty(name = "dedalus.metrics.enabled", matchIfMissing = true)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		ProxyTokenMeter dedalusProxyTokenMeter(MeterRegistry registry) {
			return new ProxyTokenMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.mvc.method.annotation.SseEmitter")
	static class Servlet {

		@Bean
		@ConditionalOnMissingBean
		ProxyMvcController dedalusProxyMvcController(DedalusProxy proxy, DedalusSseEmitterForwarder forwarder) {
			return new ProxyMvcController(proxy, forwarder);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		ProxyWebFluxController dedalusProxyWebFluxController(DedalusProxy proxy,
				DedalusServerSentEventForwarder forwarder, DedalusProperties properties) {
			return new ProxyWebFluxController(proxy, forwarder, properties.getProxy().getPath());
		}

	}

}
