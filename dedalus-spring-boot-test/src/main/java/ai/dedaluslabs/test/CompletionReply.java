package ai.dedaluslabs.test;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A non-streamed completion ({@code object: chat.completion}).
 *
 * @since 0.1.0
 */
public final class CompletionReply implements MockReply {

	private final String text;

	private @Nullable String model;

	private String finishReason = "stop";

	private int promptTokens = 10;

	private int completionTokens = -1;

	private Duration headersDelay = Duration.ZERO;

	private CompletionReply(String text) {
		this.text = text;
	}

	static CompletionReply of(String text) {
		return new CompletionReply(text);
	}

	/**
	 * The model the response names (by default the one the request named).
	 * @param model the model
	 * @return this reply
	 */
	public CompletionReply model(String model) {
		this.model = model;
		return this;
	}

	/**
	 * The finish reason ({@code stop} by default).
	 * @param finishReason the reason
	 * @return this reply
	 */
	public CompletionReply finishReason(String finishReason) {
		this.finishReason = finishReason;
		return this;
	}

	/**
	 * The usage reported (by default 10 prompt tokens and one per token of the text).
	 * @param promptTokens prompt tokens
	 * @param completionTokens completion tokens
	 * @return this reply
	 */
	public CompletionReply usage(int promptTokens, int completionTokens) {
		this.promptTokens = promptTokens;
		this.completionTokens = completionTokens;
		return this;
	}

	/**
	 * Wait this long before sending the response headers, as a slow model does before it answers.
	 * @param delay the wait
	 * @return this reply
	 */
	public CompletionReply headersDelay(Duration delay) {
		this.headersDelay = Objects.requireNonNull(delay, "delay");
		return this;
	}

	Duration headersDelay() {
		return this.headersDelay;
	}

	String body(String requestModel) {
		int completion = (this.completionTokens >= 0) ? this.completionTokens : Tokens.split(this.text).size();
		return ChunkJson.completion((this.model != null) ? this.model : requestModel, this.text, this.finishReason,
				this.promptTokens, completion);
	}

}
