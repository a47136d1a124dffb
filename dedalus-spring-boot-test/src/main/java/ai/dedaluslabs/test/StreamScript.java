package ai.dedaluslabs.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted stream, written the way the API writes one: per choice a role chunk, then text,
 * refusal or tool-call chunks (arguments split into JSON fragments), a finish chunk, a final usage
 * chunk with empty {@code choices}, and {@code data: [DONE]}.
 *
 * <pre class="code">
 * server.enqueue(StreamScript.create()
 *     .text("Ineluctable modality of the visible")
 *     .usage(12, 6)
 *     .delayPerChunk(Duration.ofMillis(20)));
 * server.enqueue(StreamScript.create()
 *     .toolCall("call_1", "get_weather", "{\"city\":\"Dublin\"}"));   // finishes with tool_calls
 * server.enqueue(StreamScript.create()
 *     .text("Half an answer")
 *     .fault(StreamFault.dropConnection(2)));
 * </pre>
 *
 * <p>
 * A script is a mutable builder: finish it before handing it to the server, which renders it when
 * a request arrives.
 *
 * @since 0.1.0
 */
public final class StreamScript implements MockReply {

	/** What the chunks say about the completion. */
	record Identity(String id, long created, String model, @Nullable String systemFingerprint) {
	}

	private sealed interface Step {
	}

	private record Content(int choice, List<String> tokens, boolean refusal) implements Step {
	}

	private record Call(int choice, String id, String name, List<String> fragments) implements Step {
	}

	private record Raw(String json) implements Step {
	}

	private record Finish(int choice, String reason) implements Step {
	}

	private final List<Step> steps = new ArrayList<>();

	private String id = "chatcmpl-mock";

	private long created = 1700000000L;

	private @Nullable String model;

	private @Nullable String systemFingerprint;

	private @Nullable int[] usage;

	private boolean usageOnFinishChunk;

	private boolean includeUsage = true;

	private boolean done = true;

	private boolean interleave;

	private Duration delayPerChunk = Duration.ZERO;

	private Duration headersDelay = Duration.ZERO;

	private @Nullable StreamFault fault;

	private boolean endless;

	private StreamScript() {
	}

	/**
	 * Start an empty script.
	 * @return the script
	 */
	public static StreamScript create() {
		return new StreamScript();
	}

	/**
	 * Text of choice 0, split into tokens as a model streams it.
	 * @param text the text
	 * @return this script
	 */
	public StreamScript text(String text) {
		return text(0, text);
	}

	/**
	 * Text of one choice (for {@code n > 1}).
	 * @param choice the choice index
	 * @param text the text
	 * @return this script
	 */
	public StreamScript text(int choice, String text) {
		this.steps.add(new Content(choice, Tokens.split(text), false));
		return this;
	}

	/**
	 * Text of choice 0 as exactly these chunks.
	 * @param tokens one chunk each
	 * @return this script
	 */
	public StreamScript tokens(String... tokens) {
		this.steps.add(new Content(0, List.of(tokens), false));
		return this;
	}

	/**
	 * A refusal of choice 0, as exactly these chunks.
	 * @param tokens one chunk each
	 * @return this script
	 */
	public StreamScript refusal(String... tokens) {
		this.steps.add(new Content(0, List.of(tokens), true));
		return this;
	}

	/**
	 * A tool call of choice 0: its id and name first, then its arguments in JSON fragments.
	 * @param id the call id
	 * @param name the function name
	 * @param argumentsJson the complete arguments
	 * @return this script
	 */
	public StreamScript toolCall(String id, String name, String argumentsJson) {
		return toolCall(0, id, name, argumentsJson);
	}

	/**
	 * A tool call of one choice.
	 * @param choice the choice index
	 * @param id the call id
	 * @param name the function name
	 * @param argumentsJson the complete arguments
	 * @return this script
	 */
	public StreamScript toolCall(int choice, String id, String name, String argumentsJson) {
		this.steps.add(new Call(choice, id, name, Tokens.splitJson(argumentsJson)));
		return this;
	}

	/**
	 * A chunk written exactly as given.
	 * @param json the chunk's JSON
	 * @return this script
	 */
	public StreamScript chunk(String json) {
		this.steps.add(new Raw(json));
		return this;
	}

	/**
	 * Finish choice 0 with this reason (by default {@code stop}, or {@code tool_calls} after a tool call).
	 * @param reason the finish reason
	 * @return this script
	 */
	public StreamScript finish(String reason) {
		return finish(0, reason);
	}

	/**
	 * Finish one choice with this reason.
	 * @param choice the choice index
	 * @param reason the finish reason
	 * @return this script
	 */
	public StreamScript finish(int choice, String reason) {
		this.steps.add(new Finish(choice, reason));
		return this;
	}

	/**
	 * The usage reported in the final chunk (by default 10 prompt tokens and one per chunk).
	 * @param promptTokens prompt tokens
	 * @param completionTokens completion tokens
	 * @return this script
	 */
	public StreamScript usage(int promptTokens, int completionTokens) {
		this.usage = new int[] { promptTokens, completionTokens };
		this.includeUsage = true;
		return this;
	}

	/**
	 * Report usage on the last finish chunk instead of a separate chunk with empty {@code choices}.
	 * @return this script
	 */
	public StreamScript usageOnFinishChunk() {
		this.usageOnFinishChunk = true;
		return this;
	}

	/**
	 * Report no usage, as the API does when the request did not ask for it.
	 * @return this script
	 */
	public StreamScript withoutUsage() {
		this.includeUsage = false;
		return this;
	}

	/**
	 * End without {@code data: [DONE]}.
	 * @return this script
	 */
	public StreamScript withoutDone() {
		this.done = false;
		return this;
	}

	/**
	 * Interleave the chunks of several choices round-robin, as {@code n > 1} streams do.
	 * @return this script
	 */
	public StreamScript interleaveChoices() {
		this.interleave = true;
		return this;
	}

	/**
	 * Wait this long before each chunk. The response headers are sent at once, before the first
	 * chunk's wait, as the API sends them while its model thinks.
	 * @param delay the delay
	 * @return this script
	 */
	public StreamScript delayPerChunk(Duration delay) {
		this.delayPerChunk = Objects.requireNonNull(delay, "delay");
		return this;
	}

	/**
	 * Wait this long before sending the response headers, as a model that is slow to start does.
	 * @param delay the delay
	 * @return this script
	 */
	public StreamScript headersDelay(Duration delay) {
		this.headersDelay = Objects.requireNonNull(delay, "delay");
		return this;
	}

	/**
	 * Go wrong after some chunks.
	 * @param fault the fault
	 * @return this script
	 */
	public StreamScript fault(StreamFault fault) {
		this.fault = Objects.requireNonNull(fault, "fault");
		return this;
	}

	/**
	 * After the scripted chunks, keep writing more text until the client goes away (at most about
	 * 100,000 chunks), to test cancellation.
	 * @return this script
	 */
	public StreamScript untilClientCloses() {
		this.endless = true;
		return this;
	}

	/**
	 * The completion's id ({@code chatcmpl-mock} by default).
	 * @param id the id
	 * @return this script
	 */
	public StreamScript id(String id) {
		this.id = id;
		return this;
	}

	/**
	 * The model the chunks name (by default the model the request named).
	 * @param model the model
	 * @return this script
	 */
	public StreamScript model(String model) {
		this.model = model;
		return this;
	}

	/**
	 * The creation time of the chunks.
	 * @param created seconds since the epoch
	 * @return this script
	 */
	public StreamScript created(long created) {
		this.created = created;
		return this;
	}

	/**
	 * The {@code system_fingerprint} of the chunks (none by default).
	 * @param systemFingerprint the fingerprint
	 * @return this script
	 */
	public StreamScript systemFingerprint(String systemFingerprint) {
		this.systemFingerprint = systemFingerprint;
		return this;
	}

	Duration delayPerChunk() {
		return this.delayPerChunk;
	}

	Duration headersDelay() {
		return this.headersDelay;
	}

	@Nullable StreamFault fault() {
		return this.fault;
	}

	boolean endless() {
		return this.endless;
	}

	boolean done() {
		return this.done;
	}

	Identity identity(String requestModel) {
		return new Identity(this.id, this.created, (this.model != null) ? this.model : requestModel,
				this.systemFingerprint);
	}

	/** The text of choice 0, for answering a request that did not ask for a stream. */
	String text() {
		StringBuilder text = new StringBuilder();
		for (Step step : this.steps) {
			if (step instanceof Content content && content.choice() == 0 && !content.refusal()) {
				content.tokens().forEach(text::append);
			}
		}
		return text.toString();
	}

	/** The data of every event before {@code [DONE]}, each a chunk's JSON. */
	List<String> render(String requestModel) {
		Identity identity = identity(requestModel);
		TreeMap<Integer, List<String>> byChoice = new TreeMap<>();
		List<String> ordered = new ArrayList<>();
		TreeMap<Integer, ChoiceState> states = new TreeMap<>();
		int tokens = 0;
		for (Step step : this.steps) {
			List<String> units = new ArrayList<>();
			int choice = -1;
			if (step instanceof Content content) {
				choice = content.choice();
				ChoiceState state = states.computeIfAbsent(choice, (index) -> new ChoiceState());
				if (!state.started) {
					ObjectNode chunk = ChunkJson.chunk(identity);
					ObjectNode delta = ChunkJson.choice(chunk, choice);
					delta.put("role", "assistant");
					if (content.refusal()) {
						delta.putNull("content");
						delta.put("refusal", "");
					}
					else {
						delta.put("content", "");
					}
					units.add(close(chunk, identity));
					state.started = true;
				}
				for (String token : content.tokens()) {
					ObjectNode chunk = ChunkJson.chunk(identity);
					ChunkJson.choice(chunk, choice).put(content.refusal() ? "refusal" : "content", token);
					units.add(close(chunk, identity));
					tokens++;
				}
			}
			else if (step instanceof Call call) {
				choice = call.choice();
				ChoiceState state = states.computeIfAbsent(choice, (index) -> new ChoiceState());
				int callIndex = state.toolCalls++;
				ObjectNode first = ChunkJson.chunk(identity);
				ObjectNode delta = ChunkJson.choice(first, choice);
				if (!state.started) {
					delta.put("role", "assistant");
					delta.putNull("content");
					state.started = true;
				}
				ChunkJson.toolCall(delta, callIndex, call.id(), call.name(), "");
				units.add(close(first, identity));
				for (String fragment : call.fragments()) {
					ObjectNode chunk = ChunkJson.chunk(identity);
					ChunkJson.toolCall(ChunkJson.choice(chunk, choice), callIndex, null, null, fragment);
					units.add(close(chunk, identity));
					tokens++;
				}
			}
			else if (step instanceof Raw raw) {
				units.add(raw.json());
			}
			else if (step instanceof Finish finish) {
				choice = finish.choice();
				states.computeIfAbsent(choice, (index) -> new ChoiceState()).finished = true;
				units.add(finishChunk(identity, choice, finish.reason()));
			}
			if (this.interleave && choice >= 0) {
				byChoice.computeIfAbsent(choice, (index) -> new ArrayList<>()).addAll(units);
			}
			else {
				ordered.addAll(units);
			}
		}
		if (this.interleave) {
			ordered.addAll(roundRobin(byChoice));
		}
		states.forEach((choice, state) -> {
			if (!state.finished) {
				ordered.add(finishChunk(identity, choice, (state.toolCalls > 0) ? "tool_calls" : "stop"));
			}
		});
		if (this.includeUsage) {
			int[] counts = (this.usage != null) ? this.usage : new int[] { 10, tokens };
			if (this.usageOnFinishChunk && !ordered.isEmpty()) {
				String last = ordered.remove(ordered.size() - 1);
				ObjectNode chunk = (ObjectNode) ai.dedaluslabs.client.json.WireJson.defaultMapper().readTree(last);
				ChunkJson.usage(chunk, counts[0], counts[1]);
				ordered.add(ChunkJson.write(chunk));
			}
			else {
				ObjectNode chunk = ChunkJson.chunk(identity);
				ChunkJson.close(chunk, identity);
				ChunkJson.usage(chunk, counts[0], counts[1]);
				ordered.add(ChunkJson.write(chunk));
			}
		}
		return ordered;
	}

	private static String finishChunk(Identity identity, int choice, String reason) {
		ObjectNode chunk = ChunkJson.chunk(identity);
		ChunkJson.finish(chunk, choice, reason);
		return close(chunk, identity);
	}

	private static String close(ObjectNode chunk, Identity identity) {
		ChunkJson.close(chunk, identity);
		return ChunkJson.write(chunk);
	}

	private static List<String> roundRobin(TreeMap<Integer, List<String>> byChoice) {
		List<String> merged = new ArrayList<>();
		int longest = byChoice.values().stream().mapToInt(List::size).max().orElse(0);
		for (int i = 0; i < longest; i++) {
			for (List<String> units : byChoice.values()) {
				if (i < units.size()) {
					merged.add(units.get(i));
				}
			}
		}
		return merged;
	}

	private static final class ChoiceState {

		boolean started;

		boolean finished;

		int toolCalls;

	}

}
