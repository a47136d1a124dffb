package ai.dedaluslabs.spring.ai.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.spring.ai.DedalusChatModel;
import ai.dedaluslabs.spring.ai.DedalusChatOptions;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A {@link DedalusChatModel} on the application's {@link DedalusClient} bean when Spring AI is on
 * the classpath, so that Spring AI's {@code ChatClient.Builder} (from its own auto-configuration)
 * talks to Dedalus. Selected by {@code spring.ai.model.chat=dedalus}, the default: set the property
 * to another provider's name to leave the chat model to it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "ai.dedaluslabs.spring.autoconfigure.DedalusAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" },
		beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass({ ChatModel.class, DedalusClient.class })
@ConditionalOnBean(DedalusClient.class)
@ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "dedalus", matchIfMissing = true)
public final class DedalusSpringAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DedalusChatModel dedalusChatModel(DedalusClient client, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<ChatModelObservationConvention> observationConvention) {
		return new DedalusChatModel(client, DedalusChatOptions.builder().model(client.options().defaultModel()).build(),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique());
	}

}
