package ai.dedaluslabs.client.chat;

import java.util.Objects;

/**
 * The function a model asked to call, with its arguments as the JSON text the model wrote (it may
 * be invalid JSON: models make mistakes).
 *
 * @param name the function's name
 * @param arguments the arguments as JSON text, {@code ""} when none were given
 * @since 0.1.0
 */
public record FunctionCall(String name, String arguments) {

	/**
	 * Normalises absent values so accessors never return {@code null}.
	 */
	public FunctionCall {
		name = Objects.requireNonNullElse(name, "");
		arguments = Objects.requireNonNullElse(arguments, "");
	}

}
