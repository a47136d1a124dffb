package ai.dedaluslabs.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.json.WireJson;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated Dedalus API in the same process, on a free loopback port: {@code POST
 * /v1/chat/completions} (streamed with realistic pacing, a role chunk, tokens, a tool call when the
 * prompt asks about the weather and the request offers the tool, a finish and a usage chunk, then
 * {@code [DONE]}) and {@code GET /v1/models}. Non-blocking: pacing uses Reactor timers, not
 * threads. It counts streams whose client went away, so tests can see cancellation arrive.
 */
public class SimulatedDedalus implements DisposableBean {

	/** The model the simulation names in its answers. */
	public static final String MODEL = "simulated/joyce-1";

	private static final Log logger = LogFactory.getLog(SimulatedDedalus.class);

	private final JsonMapper mapper = WireJson.defaultMapper();

	private final Duration tokenInterval;

	private final AtomicInteger cancelledStreams = new AtomicInteger();

	private final AtomicInteger completedStreams = new AtomicInteger();


	private final AtomicInteger startedStreams = new AtomicInteger();

	private final DisposableServer server;

	SimulatedDedalus(Duration tokenInterval) {
		this.tokenInterval = tokenInterval;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions", this::completions)
				.get("/v1/models", (request, response) -> json(response, models())))
			.bindNow();
	}

	/**
	 * The base URL the application's client is pointed at.
	 * @return for example {@code http://127.0.0.1:41235}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * How many streams ended because the client went away.
	 * @return the count
	 */
	public int cancelledStreams() {
		return this.cancelledStreams.get();
	}

	/**
	 * How many streams were asked for.
	 * @return the count
	 */
	public int startedStreams() {
		return this.startedStreams.get();
	}

	/**
	 * How many streams were written to the end.
	 * @return the count
	 */
	public int completedStreams() {
		return this.completedStreams.get();
	}

	@Override
	public void destroy() {
		this.server.disposeNow();
	}

	private Mono<Void> completions(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().defaultIfEmpty("{}").flatMap((body) -> {
			JsonNode json = this.mapper.readTree(body);
			String prompt = lastUserMessage(json);
			String toolResult = toolResultAfterLastUserMessage(json);
			boolean weatherTool = toolResult == null && offersTool(json, "get_weather")
					&& SimulatedAnswers.asksForWeather(prompt);
			List<String> events = events(prompt, weatherTool, toolResult);
			if (!json.path("stream").asBoolean(false)) {
				return json(response, completion(prompt)).then();
			}
			this.startedStreams.incrementAndGet();
			Flux<String> stream = Flux.fromIterable(events)
				.delayElements(this.tokenInterval)
				.map((event) -> "data: " + event + "\n\n")
				.concatWith(Mono.just("data: [DONE]\n\n"))
				.doOnComplete(this.completedStreams::incrementAndGet)
				.doOnCancel(() -> {
					this.cancelledStreams.incrementAndGet();
					logger.info("Simulated model: the client closed a stream early; generation stopped");
				});
			return response.header("Content-Type", "text/event-stream")
				.header("Cache-Control", "no-cache")
				.sendString(stream, java.nio.charset.StandardCharsets.UTF_8)
				.then();
		});
	}

	private List<String> events(String prompt, boolean weatherTool, @Nullable String toolResult) {
		List<String> events = new ArrayList<>();
		ObjectNode role = chunk();
		ObjectNode roleDelta = delta(role, null);
		roleDelta.put("role", "assistant");
		int completionTokens = 0;
		if (weatherTool) {
			roleDelta.putNull("content");
			ObjectNode call = roleDelta.putArray("tool_calls").addObject();
			call.put("index", 0).put("id", "call_simulated_1").put("type", "function");
			call.putObject("function").put("name", "get_weather").put("arguments", "");
			events.add(write(role));
			String arguments = "{\"city\":\"" + SimulatedAnswers.cityOf(prompt) + "\",\"units\":\"c\"}";
			for (String fragment : List.of(arguments.substring(0, 9), arguments.substring(9, arguments.length() - 6),
					arguments.substring(arguments.length() - 6))) {
				ObjectNode chunk = chunk();
				ObjectNode fragmentCall = delta(chunk, null).putArray("tool_calls").addObject();
				fragmentCall.put("index", 0).putObject("function").put("arguments", fragment);
				events.add(write(chunk));
				completionTokens++;
			}
			events.add(finish("tool_calls"));
		}
		else {
			roleDelta.put("content", "");
			events.add(write(role));
			String answer = (toolResult != null) ? SimulatedAnswers.answerWithToolResult(toolResult)
					: SimulatedAnswers.answer(prompt);
			for (String token : SimulatedAnswers.tokens(answer)) {
				ObjectNode chunk = chunk();
				delta(chunk, null).put("content", token);
				events.add(write(chunk));
				completionTokens++;
			}
			events.add(finish("stop"));
		}
		ObjectNode usage = chunk();
		ObjectNode counts = usage.putObject("usage");
		int promptTokens = SimulatedAnswers.tokens(prompt).size() + 12;
		counts.put("prompt_tokens", promptTokens)
			.put("completion_tokens", completionTokens)
			.put("total_tokens", promptTokens + completionTokens);
		events.add(write(usage));
		return events;
	}

	private ObjectNode chunk() {
		ObjectNode chunk = this.mapper.createObjectNode();
		chunk.put("id", "chatcmpl-simulated").put("object", "chat.completion.chunk").put("created", 1700000000L);
		chunk.put("model", MODEL);
		chunk.putArray("choices");
		return chunk;
	}

	private static ObjectNode delta(ObjectNode chunk, String finishReason) {
		ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
		choice.put("index", 0);
		ObjectNode delta = choice.putObject("delta");
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		return delta;
	}

	private String finish(String reason) {
		ObjectNode chunk = chunk();
		delta(chunk, reason);
		return write(chunk);
	}

	private String completion(String prompt) {
		ObjectNode completion = this.mapper.createObjectNode();
		completion.put("id", "chatcmpl-simulated").put("object", "chat.completion").put("created", 1700000000L);
		completion.put("model", MODEL);
		ObjectNode choice = completion.putArray("choices").addObject();
		choice.put("index", 0).put("finish_reason", "stop");
		choice.putObject("message").put("role", "assistant").put("content", SimulatedAnswers.answer(prompt));
		return write(completion);
	}

	private String models() {
		ObjectNode list = this.mapper.createObjectNode();
		list.put("object", "list");
		list.putArray("data").addObject().put("id", MODEL).put("object", "model").put("owned_by", "simulation");
		return write(list);
	}

	private static String lastUserMessage(JsonNode json) {
		String prompt = "";
		for (JsonNode message : json.path("messages")) {
			if ("user".equals(message.path("role").asString(""))) {
				prompt = message.path("content").isString() ? message.path("content").asString()
						: message.path("content").toString();
			}
		}
		return prompt;
	}

	/** The result of a tool call sent back after the last user message: the model's turn to answer. */
	private static @Nullable String toolResultAfterLastUserMessage(JsonNode json) {
		String result = null;
		for (JsonNode message : json.path("messages")) {
			String role = message.path("role").asString("");
			if ("user".equals(role)) {
				result = null;
			}
			else if ("tool".equals(role)) {
				result = message.path("content").asString("");
			}
		}
		return result;
	}

	private static boolean offersTool(JsonNode json, String name) {
		for (JsonNode tool : json.path("tools")) {
			if (name.equals(tool.at("/function/name").asString(""))) {
				return true;
			}
		}
		return false;
	}

	private String write(JsonNode node) {
		return this.mapper.writeValueAsString(node);
	}

	private static Mono<Void> json(HttpServerResponse response, String body) {
		return response.header("Content-Type", "application/json").sendString(Mono.just(body)).then();
	}

}
