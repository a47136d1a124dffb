package ai.dedaluslabs.client.chat;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A tool the model may call. Only function tools exist in the chat-completions API.
 *
 * @param type the tool type, {@code function}
 * @param function the function's definition
 * @since 0.1.0
 */
public record Tool(String type, FunctionDefinition function) {

	/**
	 * Validates the tool.
	 */
	public Tool {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(function, "function");
	}

	/**
	 * A function tool.
	 * @param name the function's name (letters, digits, {@code _} and {@code -})
	 * @param description what it does, which the model reads to decide when to call it
	 * @param parametersSchema a JSON Schema of its arguments, as nested maps and lists
	 * @return the tool
	 */
	public static Tool function(String name, @Nullable String description, @Nullable Map<String, Object> parametersSchema) {
		return new Tool("function", new FunctionDefinition(name, description, parametersSchema, null));
	}

	/**
	 * A function definition.
	 *
	 * @param name the function's name
	 * @param description what it does, or {@code null}
	 * @param parameters a JSON Schema of the arguments, or {@code null} for none
	 * @param strict whether the provider must follow the schema exactly, or {@code null} for its default
	 */
	public record FunctionDefinition(String name, @Nullable String description,
			@Nullable Map<String, Object> parameters, @Nullable Boolean strict) {

		/**
		 * Validates the definition.
		 */
		public FunctionDefinition {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("tool function name must not be blank; give the function a name such as \"get_weather\"");
			}
		}

	}

}
