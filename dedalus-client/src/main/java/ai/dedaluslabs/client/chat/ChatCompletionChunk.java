package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One event of a streamed chat completion ({@code object: chat.completion.chunk}). Each carries
 * the next piece of one or more choices; the final chunk of a stream that asked for usage has an
 * empty {@link #choices()} and a {@link #usage()}. Use {@link ChatCompletionAccumulator} to merge
 * chunks into a {@link ChatCompletion}.
 *
 * @param id the completion's id, the same on every chunk ({@code ""} when the server sent none)
 * @param object the object type, {@code chat.completion.chunk}, or {@code null}
 * @param created creation time, in seconds since the epoch
 * @param model the model that produced it ({@code ""} when the server sent none)
 * @param choices the choices this chunk advances; empty on the usage chunk
 * @param usage token usage, only on the final chunk; otherwise {@code null}
 * @param systemFingerprint the backend configuration fingerprint, or {@code null}
 * @param serviceTier the service tier that served the request, or {@code null}
 * @since 0.1.0
 */
public record ChatCompletionChunk(String id, @Nullable String object, long created, String model, List<Choice> choices,
		@Nullable Usage usage, @Nullable String systemFingerprint, @Nullable String serviceTier) {

	/**
	 * Normalises absent values: strings to {@code ""}, lists to empty.
	 */
	public ChatCompletionChunk {
		id = Objects.requireNonNullElse(id, "");
		model = Objects.requireNonNullElse(model, "");
		choices = (choices != null) ? List.copyOf(choices) : List.of();
	}

	/**
	 * One choice's increment.
	 *
	 * @param index which choice ({@code 0} unless the request asked for {@code n > 1})
	 * @param delta what this chunk adds to the choice
	 * @param finishReason why the choice ended ({@code stop}, {@code length}, {@code tool_calls},
	 * {@code content_filter}, ...) on its last chunk, otherwise {@code null}; a {@code String} so
	 * new values never break decoding
	 * @param logprobs log probabilities when requested, as the API sent them, or {@code null}
	 */
	public record Choice(int index, Delta delta, @Nullable String finishReason, @Nullable JsonNode logprobs) {

		/**
		 * Normalises absent values: a missing delta becomes {@link Delta#EMPTY}, a JSON
		 * {@code null} log-probability object becomes {@code null}.
		 */
		public Choice {
			delta = Objects.requireNonNullElse(delta, Delta.EMPTY);
			logprobs = (logprobs == null || logprobs.isNull()) ? null : logprobs;
		}

	}

	/**
	 * What a chunk adds to one choice. Every part is optional.
	 *
	 * @param role the author's role, on the first chunk of a choice only, or {@code null}
	 * @param content the next piece of text, or {@code null}
	 * @param refusal the next piece of a refusal, or {@code null}
	 * @param toolCalls pieces of tool calls, merged by {@link ToolCallDelta#index()}
	 */
	public record Delta(@Nullable String role, @Nullable String content, @Nullable String refusal,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCallDelta> toolCalls) {

		/** A delta that adds nothing. */
		public static final Delta EMPTY = new Delta(null, null, null, List.of());

		/**
		 * Normalises an absent tool-call list to an empty one.
		 */
		public Delta {
			toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
		}

	}

	/**
	 * A piece of a tool call. The first piece of a call carries its {@code id} and function name;
	 * later pieces carry only the {@code index} and more of the arguments.
	 *
	 * @param index the call's position in the choice's tool calls, the key to merge pieces by
	 * @param id the call's id on its first piece; {@code null} (or repeated) on later ones
	 * @param type {@code function} on the first piece, otherwise usually {@code null}
	 * @param function the function name and the next piece of the arguments
	 */
	public record ToolCallDelta(int index, @Nullable String id, @Nullable String type, FunctionDelta function) {

		/**
		 * Normalises an absent function to an empty one.
		 */
		public ToolCallDelta {
			function = Objects.requireNonNullElse(function, FunctionDelta.EMPTY);
		}

	}

	/**
	 * A piece of a function call.
	 *
	 * @param name the function's name on the first piece, otherwise usually {@code null}
	 * @param arguments the next piece of the arguments' JSON text, or {@code null}
	 */
	public record FunctionDelta(@Nullable String name, @Nullable String arguments) {

		/** A piece that adds nothing. */
		public static final FunctionDelta EMPTY = new FunctionDelta(null, null);

	}

}
