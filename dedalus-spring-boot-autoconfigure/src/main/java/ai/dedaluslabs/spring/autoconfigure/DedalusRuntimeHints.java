package ai.dedaluslabs.spring.autoconfigure;

import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionMessage;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.ContentPart;
import ai.dedaluslabs.client.chat.FunctionCall;
import ai.dedaluslabs.client.chat.MessageContent;
import ai.dedaluslabs.client.chat.ModelSpec;
import ai.dedaluslabs.client.chat.StreamOptions;
import ai.dedaluslabs.client.chat.Tool;
import ai.dedaluslabs.client.chat.ToolCall;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.models.Model;
import ai.dedaluslabs.client.models.ModelList;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Reflection hints for a native image: Jackson reads and writes the wire model reflectively
 * (record constructors and accessors), and builds the two custom deserializers.
 */
class DedalusRuntimeHints implements RuntimeHintsRegistrar {

	static final List<Class<?>> WIRE_TYPES = List.of(ChatCompletionRequest.class, ChatMessage.class,
			MessageContent.Text.class, MessageContent.Parts.class, ContentPart.Text.class, ContentPart.Image.class,
			ContentPart.ImageUrl.class, ModelSpec.Id.class, ModelSpec.WithSettings.class, ModelSpec.Routing.class,
			Tool.class, Tool.FunctionDefinition.class, ToolCall.class, FunctionCall.class, StreamOptions.class,
			ChatCompletion.class, ChatCompletion.Choice.class, ChatCompletionMessage.class, ChatCompletionChunk.class,
			ChatCompletionChunk.Choice.class, ChatCompletionChunk.Delta.class, ChatCompletionChunk.ToolCallDelta.class,
			ChatCompletionChunk.FunctionDelta.class, Usage.class, Usage.PromptTokensDetails.class,
			Usage.CompletionTokensDetails.class, Model.class, ModelList.class);

	private static final List<String> DESERIALIZERS = List.of("ai.dedaluslabs.client.chat.MessageContentDeserializer",
			"ai.dedaluslabs.client.chat.ModelSpecDeserializer");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		MemberCategory[] categories = { MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
				MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS };
		for (Class<?> type : WIRE_TYPES) {
			hints.reflection().registerType(type, categories);
		}
		hints.reflection().registerType(ModelSpec.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(MessageContent.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		hints.reflection().registerType(ContentPart.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (String deserializer : DESERIALIZERS) {
			hints.reflection().registerType(TypeReference.of(deserializer), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		}
	}

}
