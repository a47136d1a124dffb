package ai.dedaluslabs.spring.ai;

import ai.dedaluslabs.spring.ai.autoconfigure.DedalusSpringAiAutoConfiguration;
import ai.dedaluslabs.spring.autoconfigure.DedalusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's beans: a {@link DedalusChatModel} on the Dedalus client and Spring AI's
 * {@code ChatClient.Builder} on it, unless {@code spring.ai.model.chat} names another provider.
 */
class DedalusSpringAiAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusSpringAiAutoConfiguration.class,
				ChatClientAutoConfiguration.class))
		.withPropertyValues("dedalus.api-key=sk-spring-ai", "dedalus.default-model=anthropic/claude-haiku-4");

	@Test
	void theChatModelAndTheChatClientBuilderTalkToDedalus() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DedalusChatModel.class);
			assertThat(context).hasSingleBean(ChatClient.Builder.class);
			assertThat(context.getBean(ChatModel.class).getDefaultOptions().getModel())
				.isEqualTo("anthropic/claude-haiku-4");
		});
	}

	@Test
	void anotherChatModelProviderIsLeftAlone() {
		this.contextRunner.withPropertyValues("spring.ai.model.chat=openai")
			.run((context) -> assertThat(context).doesNotHaveBean(DedalusChatModel.class));
	}

	@Test
	void selectedExplicitly() {
		this.contextRunner.withPropertyValues("spring.ai.model.chat=dedalus")
			.run((context) -> assertThat(context).hasSingleBean(DedalusChatModel.class));
	}

}
