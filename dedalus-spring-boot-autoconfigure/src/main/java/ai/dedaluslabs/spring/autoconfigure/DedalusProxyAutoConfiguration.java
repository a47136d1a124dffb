package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.ProxySettings;
import ai.dedaluslabs.spring.proxy.reactive.ProxyWebFluxController;
import ai.dedaluslabs.spring.proxy.servlet.ProxyMvcController;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAI-compatible endpoint, only when {@code dedalus.proxy.enabled=true}: Spring MVC or
 * WebFlux controllers at {@code dedalus.proxy.path}, relaying with the server's credentials under
 * the {@code dedalus.proxy.*} rules.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusSseAutoConfiguration.class)
@ConditionalOnClass(DedalusClient.class)
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty("dedalus.proxy.enabled")
public final class DedalusProxyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusProxy dedalusProxy(DedalusClient client, DedalusProperties properties) {
		DedalusProperties.Proxy proxy = properties.getProxy();
		return new DedalusProxy(client,
				new ProxySettings(proxy.getAllowedModels(), proxy.getMaxCompletionTokens(), proxy.getMaxChoices(),
						proxy.getAllowedFields(), proxy.getAllowedMcpServers(), proxy.getMaxConcurrentRequests(),
						proxy.getMaxRequestSize().toBytes()));
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
				DedalusServerSentEventForwarder forwarder) {
			return new ProxyWebFluxController(proxy, forwarder);
		}

	}

}
