package ai.dedaluslabs.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.observation.ChatObservationContext;
import ai.dedaluslabs.client.observation.ChatObservationConvention;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the {@link DedalusClient}: built from the application's
 * {@link WebClient.Builder} (so its customizers, codecs and observation apply), a wire mapper
 * derived from the application's {@link JsonMapper} with the wire settings pinned, the
 * application's {@link ObservationRegistry}, and a connector made with Spring Boot's
 * {@code ClientHttpConnectorBuilder} carrying the stream-sized pool, the time limits and
 * {@code dedalus.ssl.bundle}. {@link DedalusClientCustomizer} beans apply last, in order. The client
 * is closed with the context.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"ai.dedaluslabs.spring.autoconfigure.DedalusMetricsAutoConfiguration" })
@ConditionalOnClass(DedalusClient.class)
@ConditionalOnBooleanProperty(name = "dedalus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DedalusProperties.class)
@ImportRuntimeHints(DedalusRuntimeHints.class)
public final class DedalusAutoConfiguration {

	private static final boolean BOOT_HTTP_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
			DedalusAutoConfiguration.class.getClassLoader());

	@Bean
	@ConditionalOnMissingBean
	DedalusClient dedalusClient(DedalusProperties properties, Environment environment,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ChatObservationConvention> observationConvention,
			ObjectProvider<ObservationHandler<ChatObservationContext>> chatHandlers, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<DedalusClientCustomizer> customizers) {
		DedalusPropertiesMapper mapper = new DedalusPropertiesMapper(properties, environment);
		DedalusClient.Builder builder = mapper.builder();
		webClientBuilder.ifAvailable(builder::webClientBuilder);
		jsonMapper.ifAvailable(builder::jsonMapper);
		builder.observationRegistry(observationRegistry(observationRegistry, chatHandlers));
		observationConvention.ifAvailable(builder::observationConvention);
		if (BOOT_HTTP_CLIENT_PRESENT) {
			builder.connectorFactory(BootConnectors.factory(sslBundle(properties, sslBundles)));
		}
		else if (properties.getSsl().getBundle() != null) {
			throw new DedalusConfigurationException("dedalus.ssl.bundle",
					"dedalus.ssl.bundle needs spring-boot-http-client on the classpath",
					"Add spring-boot-starter-webclient (the Dedalus starter brings it) or remove dedalus.ssl.bundle.",
					null);
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return DedalusPropertiesMapper.build(builder);
	}

	/** Secret masking, only with Spring Boot Actuator (its type must not be touched without it). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
	static class Sanitizing {

		@Bean
		@ConditionalOnMissingBean
		DedalusSanitizingFunction dedalusSanitizingFunction(DedalusProperties properties, Environment environment) {
			return new DedalusSanitizingFunction(() -> secrets(properties, environment));
		}

	}

	private static Set<String> secrets(DedalusProperties properties, Environment environment) {
		Set<String> secrets = new LinkedHashSet<>();
		DedalusPropertiesMapper mapper = new DedalusPropertiesMapper(properties, environment);
		addIfPresent(secrets, mapper.apiKey());
		addIfPresent(secrets, properties.getProviderKey());
		addIfPresent(secrets, environment.getProperty("DEDALUS_PROVIDER_KEY"));
		properties.getHeaders().values().forEach((value) -> addIfPresent(secrets, value));
		return secrets;
	}

	private static void addIfPresent(Set<String> secrets, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			secrets.add(value.strip());
		}
	}

	/**
	 * The application's observation registry; without one (no Boot observation support), a registry
	 * of the client's own with the chat observation handlers the application has (the Dedalus
	 * meters), or none. The handlers are asked for by their interface, never as
	 * {@link DedalusMeterObservationHandler}: that class implements a Micrometer metrics type, and an
	 * application without Micrometer metrics could not even resolve this method's parameters.
	 */
	private static ObservationRegistry observationRegistry(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<ObservationHandler<ChatObservationContext>> chatHandlers) {
		ObservationRegistry applicationRegistry = registry.getIfAvailable();
		if (applicationRegistry != null) {
			return applicationRegistry;
		}
		List<ObservationHandler<ChatObservationContext>> handlers = chatHandlers.orderedStream().toList();
		if (handlers.isEmpty()) {
			return ObservationRegistry.NOOP;
		}
		ObservationRegistry own = ObservationRegistry.create();
		handlers.forEach(own.observationConfig()::observationHandler);
		return own;
	}

	private static @Nullable SslBundle sslBundle(DedalusProperties properties, ObjectProvider<SslBundles> sslBundles) {
		String name = properties.getSsl().getBundle();
		if (name == null) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new DedalusConfigurationException("dedalus.ssl.bundle",
					"dedalus.ssl.bundle is '" + name + "' but the application defines no SSL bundles",
					"Define the bundle under spring.ssl.bundle, or remove dedalus.ssl.bundle.", null);
		}
		try {
			return bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new DedalusConfigurationException("dedalus.ssl.bundle",
					"dedalus.ssl.bundle names '" + name + "', which is not defined",
					"Define it under spring.ssl.bundle.jks." + name + " or spring.ssl.bundle.pem." + name
							+ ", or correct dedalus.ssl.bundle.",
					ex);
		}
	}

}
