package ai.dedaluslabs.client.runner;

import org.jspecify.annotations.Nullable;

/**
 * What one local tool call gave back.
 *
 * @param step the step (model call) that asked for it, from 1
 * @param id the call's id
 * @param name the tool's name
 * @param result the content sent back to the model: the result as JSON (a {@code String} result as
 * is), or {@code Error: ...} when the call failed
 * @param error why the call failed, or {@code null} when it succeeded
 * @since 0.1.0
 */
public record ToolResult(int step, String id, String name, String result, @Nullable String error) {

	/**
	 * Whether the call failed.
	 * @return {@code true} when it failed, timed out, or its arguments did not fit
	 */
	public boolean failed() {
		return this.error != null;
	}

}
