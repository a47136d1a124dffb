package ai.dedaluslabs.client.chat;

import java.util.Objects;

/**
 * A complete tool call in an assistant message: what the model asked the application to run.
 * Send the result back with {@link ChatMessage#tool(String, String)} using {@link #id()}.
 *
 * @param id the call's id, used to match the tool's answer
 * @param type the call type, {@code function}
 * @param function the function and its arguments
 * @since 0.1.0
 */
public record ToolCall(String id, String type, FunctionCall function) {

	/**
	 * Normalises absent values so accessors never return {@code null}.
	 */
	public ToolCall {
		id = Objects.requireNonNullElse(id, "");
		type = Objects.requireNonNullElse(type, "function");
		function = Objects.requireNonNullElse(function, new FunctionCall("", ""));
	}

	/**
	 * A function tool call.
	 * @param id the call's id
	 * @param name the function's name
	 * @param arguments the arguments as JSON text
	 * @return the call
	 */
	public static ToolCall function(String id, String name, String arguments) {
		return new ToolCall(id, "function", new FunctionCall(name, arguments));
	}

}
