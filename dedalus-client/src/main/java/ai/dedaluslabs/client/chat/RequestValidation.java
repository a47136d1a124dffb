package ai.dedaluslabs.client.chat;

import org.jspecify.annotations.Nullable;

/**
 * Range checks run by {@link ChatCompletionRequest.Builder#build()} (generated from the min and
 * range flags of request-fields.tsv), so a bad value fails where it is written rather than as a
 * 400 from the API. Fields are named by their wire names, which builder and API users both know.
 */
final class RequestValidation {

	private RequestValidation() {
	}

	static void atLeast(String field, @Nullable Integer value, int min) {
		if (value != null && value < min) {
			throw new IllegalArgumentException(field + " must be at least " + min + ", but was " + value);
		}
	}

	static void between(String field, @Nullable Number value, double min, double max) {
		if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
			throw new IllegalArgumentException(
					field + " must be between " + format(min) + " and " + format(max) + ", but was " + value);
		}
	}

	private static String format(double bound) {
		return (bound == Math.rint(bound)) ? Long.toString((long) bound) : Double.toString(bound);
	}

}
