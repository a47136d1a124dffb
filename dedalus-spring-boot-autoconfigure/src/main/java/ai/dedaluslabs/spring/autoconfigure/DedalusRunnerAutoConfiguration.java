package ai.dedaluslabs.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.runner.DedalusRunner;
import ai.dedaluslabs.client.runner.DedalusTool;
import ai.dedaluslabs.client.runner.LocalTool;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * A {@link DedalusRunner} on the {@link DedalusClient} bean, offering to every run the
 * application's {@link LocalTool} beans and the {@link DedalusTool} methods of its beans. The tools
 * are collected when the runner is first injected, so a bean with {@code @DedalusTool} methods must
 * not itself inject the runner.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusAutoConfiguration.class)
@EnableConfigurationProperties(DedalusProperties.class)
@ConditionalOnClass(DedalusRunner.class)
@ConditionalOnBean(DedalusClient.class)
public final class DedalusRunnerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusRunner dedalusRunner(DedalusClient client, ObjectProvider<LocalTool> toolBeans,
			ConfigurableListableBeanFactory beanFactory, DedalusProperties properties, Environment environment) {
		List<LocalTool> tools = new ArrayList<>(toolBeans.orderedStream().toList());
		for (String name : beanFactory.getBeanDefinitionNames()) {
			if (beanFactory.getBeanDefinition(name).isAbstract()) {
				continue;
			}
			Class<?> type = beanFactory.getType(name, false);
			if (type != null && hasTools(ClassUtils.getUserClass(type))) {
				tools.addAll(LocalTool.fromMethods(beanFactory.getBean(name)));
			}
		}
		DedalusRunner runner = DedalusRunner.create(client).withTools(tools);
		String asUrl = StringUtils.hasText(properties.getAsUrl()) ? properties.getAsUrl()
				: environment.getProperty("DEDALUS_AS_URL");
		if (!StringUtils.hasText(asUrl)) {
			return runner;
		}
		try {
			URI uri = new URI(asUrl.strip());
			if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
				throw new URISyntaxException(asUrl, "not an http(s) URL");
			}
			return runner.withAuthorizationServer(uri);
		}
		catch (URISyntaxException ex) {
			throw new DedalusConfigurationException("dedalus.as-url",
					"dedalus.as-url is not a valid http(s) URL: '" + asUrl + "'",
					"Set dedalus.as-url (or DEDALUS_AS_URL) to the authorization server's base URL, "
							+ "such as https://as.dedaluslabs.ai, or remove it to send credentials as given.",
					ex);
		}
	}

	private static boolean hasTools(Class<?> type) {
		boolean[] found = { false };
		ReflectionUtils.doWithMethods(type, (method) -> found[0] = true,
				(method) -> !found[0] && method.isAnnotationPresent(DedalusTool.class));
		return found[0];
	}

}
