package ai.dedaluslabs.client.runner;

import java.util.List;

import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The end of a run.
 *
 * @param finalOutput the text of the last step
 * @param messages the whole conversation, the run's own messages included
 * @param toolResults every local tool call, in the order the model made them
 * @param stepsUsed how many model calls the run made
 * @param usage the usage summed over every step
 * @param finishReason why the run ended
 * @param serverToolResults the results of the tools Dedalus ran on its side (MCP servers), as
 * sent, in order
 * @since 0.1.0
 */
public record RunResult(String finalOutput, List<ChatMessage> messages, List<ToolResult> toolResults, int stepsUsed,
		Usage usage, RunFinishReason finishReason, List<JsonNode> serverToolResults) {

	/** Copies the lists. */
	public RunResult {
		messages = List.copyOf(messages);
		toolResults = List.copyOf(toolResults);
		serverToolResults = List.copyOf(serverToolResults);
	}

	/**
	 * The final output read as JSON into a type, for a run that asked for structured output.
	 * @param <T> the type
	 * @param type the type
	 * @return the value
	 * @throws MalformedResponseException when the output is not JSON of that type
	 */
	public <T> T finalOutput(Class<T> type) {
		try {
			return WireJson.defaultMapper().readValue(this.finalOutput, type);
		}
		catch (JacksonException ex) {
			throw new MalformedResponseException("The run's final output is not a " + type.getSimpleName()
					+ " in JSON: " + ex.getOriginalMessage(), ex);
		}
	}

}
