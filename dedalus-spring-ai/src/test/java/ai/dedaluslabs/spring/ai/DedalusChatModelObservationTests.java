package ai.dedaluslabs.spring.ai;

import java.time.Duration;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through {@link DedalusChatModel} an operation is observed once, as Spring AI observes chat
 * models, even though the client underneath observes its own calls: the client sees the enclosing
 * {@code gen_ai.client.operation} and steps aside.
 */
@Timeout(30)
class DedalusChatModelObservationTests {

	private DedalusMockServer dedalus;

	private TestObservationRegistry registry;

	private DedalusChatModel model;

	@BeforeEach
	void start() {
		this.dedalus = DedalusMockServer.start();
		this.registry = TestObservationRegistry.create();
		DedalusClient client = DedalusClient.builder()
			.apiKey(DedalusMockServer.TEST_API_KEY)
			.baseUrl(this.dedalus.baseUrl())
			.maxRetries(0)
			.observationRegistry(this.registry)
			.build();
		this.model = new DedalusChatModel(client,
				DedalusChatOptions.builder().model(client.options().defaultModel()).temperature(0.3).build(),
				this.registry, null);
	}

	@AfterEach
	void stop() {
		this.dedalus.close();
	}

	@Test
	void aCallIsOneSpringAiObservationWithItsUsage() {
		this.dedalus.enqueue(MockReply.completion("Kinch.").usage(7, 2));
		this.model.call(new Prompt("What does Mulligan call Stephen?"));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasNumberOfObservationsWithNameEqualTo("gen_ai.client.operation", 1)
			.hasObservationWithNameEqualTo("gen_ai.client.operation")
			.that()
			.isInstanceOf(ChatModelObservationContext.class)
			.hasLowCardinalityKeyValue("gen_ai.system", "dedalus")
			.hasLowCardinalityKeyValue("gen_ai.request.model", "openai/gpt-5-nano")
			.hasBeenStopped()
			.satisfies((context) -> assertThat(((ChatModelObservationContext) context).getResponse()
				.getMetadata()
				.getUsage()
				.getTotalTokens()).isEqualTo(9));
	}

	@Test
	void aStreamIsOneSpringAiObservationWithItsUsage() {
		this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan").usage(9, 6));
		this.model.stream(new Prompt("Who came up the stairs?")).blockLast(Duration.ofSeconds(10));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasNumberOfObservationsWithNameEqualTo("gen_ai.client.operation", 1)
			.hasObservationWithNameEqualTo("gen_ai.client.operation")
			.that()
			.isInstanceOf(ChatModelObservationContext.class)
			.hasBeenStopped()
			.satisfies((observed) -> {
				ChatModelObservationContext context = (ChatModelObservationContext) observed;
				assertThat(context.isStreaming()).isTrue();
				assertThat(context.getResponse().getResult().getOutput().getText())
					.isEqualTo("Stately, plump Buck Mulligan");
				assertThat(context.getResponse().getMetadata().getUsage().getTotalTokens()).isEqualTo(15);
			});
	}

	@Test
	void theClientStillObservesCallsMadeWithoutTheModel() {
		this.dedalus.enqueue(MockReply.completion("direct"));
		DedalusClient client = DedalusClient.builder()
			.apiKey(DedalusMockServer.TEST_API_KEY)
			.baseUrl(this.dedalus.baseUrl())
			.maxRetries(0)
			.observationRegistry(this.registry)
			.build();
		client.chat().completions().create(ai.dedaluslabs.client.chat.ChatCompletionRequest.builder()
			.addMessage(ai.dedaluslabs.client.chat.ChatMessage.user("Hi"))
			.build());
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasNumberOfObservationsWithNameEqualTo("gen_ai.client.operation", 1)
			.hasObservationWithNameEqualTo("gen_ai.client.operation")
			.that()
			.isNotInstanceOf(ChatModelObservationContext.class);
	}

}
