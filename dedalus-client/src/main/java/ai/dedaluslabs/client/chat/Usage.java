package ai.dedaluslabs.client.chat;

import org.jspecify.annotations.Nullable;

/**
 * Token usage the API reports for a completion. On a stream it arrives once, in the final chunk
 * (whose {@code choices} is empty), when {@code stream_options.include_usage} is true.
 *
 * @param promptTokens tokens in the prompt
 * @param completionTokens tokens generated
 * @param totalTokens prompt plus completion tokens
 * @param promptTokensDetails a breakdown of the prompt tokens, or {@code null}
 * @param completionTokensDetails a breakdown of the completion tokens, or {@code null}
 * @since 0.1.0
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens,
		@Nullable PromptTokensDetails promptTokensDetails, @Nullable CompletionTokensDetails completionTokensDetails) {

	/**
	 * Usage with just the three totals.
	 * @param promptTokens tokens in the prompt
	 * @param completionTokens tokens generated
	 * @param totalTokens prompt plus completion tokens
	 * @return the usage
	 */
	public static Usage of(int promptTokens, int completionTokens, int totalTokens) {
		return new Usage(promptTokens, completionTokens, totalTokens, null, null);
	}

	/**
	 * A breakdown of prompt tokens.
	 *
	 * @param cachedTokens tokens served from the provider's prompt cache
	 * @param audioTokens audio input tokens
	 */
	public record PromptTokensDetails(@Nullable Integer cachedTokens, @Nullable Integer audioTokens) {
	}

	/**
	 * A breakdown of completion tokens.
	 *
	 * @param reasoningTokens tokens spent on hidden reasoning
	 * @param audioTokens audio output tokens
	 * @param acceptedPredictionTokens predicted-output tokens that were used
	 * @param rejectedPredictionTokens predicted-output tokens that were not used
	 */
	public record CompletionTokensDetails(@Nullable Integer reasoningTokens, @Nullable Integer audioTokens,
			@Nullable Integer acceptedPredictionTokens, @Nullable Integer rejectedPredictionTokens) {
	}

}
