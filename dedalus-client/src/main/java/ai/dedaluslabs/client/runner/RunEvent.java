package ai.dedaluslabs.client.runner;

import ai.dedaluslabs.client.chat.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What happens during a run, as {@link DedalusRunner#stream} reports it, in order: per step the
 * text as it streams, the tool calls once their arguments are complete, their results, then the
 * step's end; the run's end last.
 *
 * @since 0.1.0
 */
public sealed interface RunEvent {

	/**
	 * The step the event belongs to, from 1; the final event reports the last step.
	 * @return the step
	 */
	int step();

	/**
	 * Text the model streamed.
	 * @param step the step
	 * @param text the text
	 */
	record TextDelta(int step, String text) implements RunEvent {
	}

	/**
	 * With a JSON {@code responseFormat}: the answer's value so far, the longest valid prefix of its
	 * JSON closed ({@link ai.dedaluslabs.client.json.PartialJson}), each time it grows, so a page can
	 * render a structured answer while it streams.
	 * @param step the step
	 * @param value the value so far
	 */
	record PartialOutput(int step, JsonNode value) implements RunEvent {
	}

	/**
	 * A local tool call whose arguments have arrived whole (however many chunks they took).
	 * @param step the step
	 * @param id the call's id
	 * @param name the tool's name
	 * @param arguments the arguments, JSON text
	 */
	record ToolCallReady(int step, String id, String name, String arguments) implements RunEvent {
	}

	/**
	 * A local tool call finished.
	 * @param step the step
	 * @param id the call's id
	 * @param name the tool's name
	 * @param result the content sent back to the model
	 * @param error why it failed, or {@code null}
	 */
	record ToolFinished(int step, String id, String name, String result, @Nullable String error) implements RunEvent {
	}

	/**
	 * A tool that Dedalus ran on its side (an MCP server's), as the stream reported it.
	 * @param step the step
	 * @param result the result as sent ({@code mcp_tool_results} of the response)
	 */
	record ServerToolResult(int step, JsonNode result) implements RunEvent {
	}

	/**
	 * A model call ended.
	 * @param step the step
	 * @param usage its usage, or {@code null} when the API reported none
	 */
	record StepCompleted(int step, @Nullable Usage usage) implements RunEvent {
	}

	/**
	 * The run ended.
	 * @param result the result
	 */
	record RunCompleted(RunResult result) implements RunEvent {

		@Override
		public int step() {
			return this.result.stepsUsed();
		}

	}

}
