package ai.dedaluslabs.client.chat;

import org.jspecify.annotations.Nullable;

/**
 * Range checks run by {@link ChatCompletionRequest.Builder#build()}, so a bad value fails where it
 * is written rather than as a 400 from the API.
 */
final class RequestValidation {

	private RequestValidation() {
	}

	static void check(ChatCompletionRequest.Builder builder) {
		atLeast("n", builder.n(), 1);
		atLeast("maxTokens", builder.maxTokens(), 1);
		atLeast("maxCompletionTokens", builder.maxCompletionTokens(), 1);
		atLeast("maxTurns", builder.maxTurns(), 1);
		between("topLogprobs", builder.topLogprobs(), 0, 20);
		between("temperature", builder.temperature(), 0, 2);
		between("topP", builder.topP(), 0, 1);
		between("presencePenalty", builder.presencePenalty(), -2, 2);
		between("frequencyPenalty", builder.frequencyPenalty(), -2, 2);
	}

	private static void atLeast(String field, @Nullable Integer value, int min) {
		if (value != null && value < min) {
			throw new IllegalArgumentException(field + " must be at least " + min + ", but was " + value);
		}
	}

	private static void between(String field, @Nullable Number value, double min, double max) {
		if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
			throw new IllegalArgumentException(
					field + " must be between " + format(min) + " and " + format(max) + ", but was " + value);
		}
	}

	private static String format(double bound) {
		return (bound == Math.rint(bound)) ? Long.toString((long) bound) : Double.toString(bound);
	}

}
