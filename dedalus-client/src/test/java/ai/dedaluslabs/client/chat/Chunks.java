package ai.dedaluslabs.client.chat;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Builders of chunks in the shapes real servers send, for accumulator tests.
 */
final class Chunks {

	private Chunks() {
	}

	static ChatCompletionChunk of(ChatCompletionChunk.Choice... choices) {
		return new ChatCompletionChunk("chatcmpl-1", "chat.completion.chunk", 1700000000L, "openai/gpt-5-nano",
				List.of(choices), null, "fp_1", null);
	}

	static ChatCompletionChunk usage(int prompt, int completion) {
		return new ChatCompletionChunk("chatcmpl-1", "chat.completion.chunk", 1700000000L, "openai/gpt-5-nano",
				List.of(), Usage.of(prompt, completion, prompt + completion), "fp_1", null);
	}

	static ChatCompletionChunk.Choice text(int index, String content) {
		return new ChatCompletionChunk.Choice(index, new ChatCompletionChunk.Delta(null, content, null, List.of()), null,
				null);
	}

	static ChatCompletionChunk.Choice role(int index) {
		return new ChatCompletionChunk.Choice(index, new ChatCompletionChunk.Delta("assistant", "", null, List.of()),
				null, null);
	}

	static ChatCompletionChunk.Choice finish(int index, String reason) {
		return new ChatCompletionChunk.Choice(index, ChatCompletionChunk.Delta.EMPTY, reason, null);
	}

	static ChatCompletionChunk.Choice calls(int index, ChatCompletionChunk.ToolCallDelta... calls) {
		return new ChatCompletionChunk.Choice(index, new ChatCompletionChunk.Delta(null, null, null, List.of(calls)),
				null, null);
	}

	static ChatCompletionChunk.ToolCallDelta call(int index, @Nullable String id, @Nullable String name,
			@Nullable String arguments) {
		return new ChatCompletionChunk.ToolCallDelta(index, id, (name != null) ? "function" : null,
				new ChatCompletionChunk.FunctionDelta(name, arguments));
	}

}
