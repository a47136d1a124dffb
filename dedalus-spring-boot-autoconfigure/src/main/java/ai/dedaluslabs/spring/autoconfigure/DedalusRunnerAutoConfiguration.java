package ai.dedaluslabs.spring.autoconfigure;

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
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A {@link DedalusRunner} on the {@link DedalusClient} bean, offering to every run the
 * application's {@link LocalTool} beans and the {@link DedalusTool} methods of its beans. The tools
 * are collected when the runner is first injected, so a bean with {@code @DedalusTool} methods must
 * not itself inject the runner.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DedalusAutoConfiguration.class)
@ConditionalOnClass(DedalusRunner.class)
@ConditionalOnBean(DedalusClient.class)
public final class DedalusRunnerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusRunner dedalusRunner(DedalusClient client, ObjectProvider<LocalTool> toolBeans,
			ConfigurableListableBeanFactory beanFactory) {
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
		return DedalusRunner.create(client).withTools(tools);
	}

	private static boolean hasTools(Class<?> type) {
		boolean[] found = { false };
		ReflectionUtils.doWithMethods(type, (method) -> found[0] = true,
				(method) -> !found[0] && method.isAnnotationPresent(DedalusTool.class));
		return found[0];
	}

}
