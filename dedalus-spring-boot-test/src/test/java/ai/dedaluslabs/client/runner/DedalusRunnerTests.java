package ai.dedaluslabs.client.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link DedalusRunner} against the scripted API: the loop, local tools and their failures, limits
 * and cancellation.
 */
@Timeout(30)
class DedalusRunnerTests {

	private DedalusMockServer dedalus;

	private DedalusRunner runner;

	@BeforeEach
	void start() {
		this.dedalus = DedalusMockServer.start();
		this.runner = DedalusRunner.create(DedalusClient.builder()
			.apiKey(DedalusMockServer.TEST_API_KEY)
			.baseUrl(this.dedalus.baseUrl())
			.maxRetries(0)
			.build());
	}

	@AfterEach
	void stop() {
		this.dedalus.close();
	}

	record City(@JsonPropertyDescription("The city") String city) {
	}

	enum Units {

		C, F

	}

	record Forecast(City where, Units units, Optional<Integer> days, @Nullable String note) {
	}

	static LocalTool weather() {
		return LocalTool.of("get_weather", "Get the current weather in a city", City.class,
				(where) -> Map.of("city", where.city(), "sky", "rain", "degrees", 12));
	}

	@Test
	void aTwoStepRunCallsTheToolOnceItsFragmentedArgumentsAreWholeAndAnswers() {
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Dublin\"}").usage(20, 8));
		this.dedalus.enqueue(StreamScript.create().text("Rain in Dublin, 12 degrees").usage(40, 6));
		List<RunEvent> events = this.runner.stream(RunRequest.builder()
			.model("openai/gpt-5-nano")
			.instructions("Be brief")
			.input("What is the weather in Dublin?")
			.tool(weather())
			.build()).collectList().block(Duration.ofSeconds(10));
		assertThat(events).filteredOn(RunEvent.ToolCallReady.class::isInstance)
			.containsExactly(new RunEvent.ToolCallReady(1, "call_1", "get_weather", "{\"city\":\"Dublin\"}"));
		assertThat(events).filteredOn(RunEvent.StepCompleted.class::isInstance).hasSize(2);
		RunResult result = ((RunEvent.RunCompleted) events.get(events.size() - 1)).result();
		assertThat(result.finalOutput()).isEqualTo("Rain in Dublin, 12 degrees");
		assertThat(result.finishReason()).isEqualTo(RunFinishReason.STOP);
		assertThat(result.stepsUsed()).isEqualTo(2);
		assertThat(result.usage().totalTokens()).isEqualTo(74);
		assertThat(result.toolResults()).singleElement()
			.satisfies((tool) -> assertThat(WireJsonAccess.tree(tool.result()).get("sky").asString()).isEqualTo("rain"));

		this.dedalus.takeRequest(Duration.ofSeconds(5));
		RecordedChatRequest second = this.dedalus.takeRequest(Duration.ofSeconds(5));
		JsonNode messages = second.json().get("messages");
		assertThat(messages.get(0).get("role").asString()).isEqualTo("system");
		assertThat(messages.get(2).get("role").asString()).isEqualTo("assistant");
		assertThat(messages.get(2).at("/tool_calls/0/function/arguments").asString()).isEqualTo("{\"city\":\"Dublin\"}");
		assertThat(messages.get(3).get("role").asString()).isEqualTo("tool");
		assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("call_1");
		assertThat(WireJsonAccess.tree(messages.get(3).get("content").asString()).get("degrees").asInt())
			.as("results go back as JSON").isEqualTo(12);
	}

	@Test
	void parallelCallsOfOneStepAllRunAndTheirResultsFollowTheCallOrder() {
		CountDownLatch both = new CountDownLatch(2);
		LocalTool slowFirst = LocalTool.of("get_weather", "Weather", City.class, (where) -> {
			both.countDown();
			// Each waits until the other started: they ran at the same time.
			await(both);
			return "weather in " + where.city();
		});
		this.dedalus.enqueue(StreamScript.create()
			.toolCall("call_a", "get_weather", "{\"city\":\"Cork\"}")
			.toolCall("call_b", "get_weather", "{\"city\":\"Galway\"}"));
		this.dedalus.enqueue(StreamScript.create().text("Both wet"));
		RunResult result = this.runner.run(RunRequest.builder().input("Weather in Cork and Galway?").tool(slowFirst).build())
			.block(Duration.ofSeconds(10));
		assertThat(result.toolResults()).extracting(ToolResult::id).containsExactly("call_a", "call_b");
		assertThat(result.toolResults()).extracting(ToolResult::result)
			.containsExactly("weather in Cork", "weather in Galway");
		assertThat(result.messages()).extracting((message) -> message.role())
			.containsExactly("user", "assistant", "tool", "tool", "assistant");
	}

	@Test
	void aFailingToolTellsTheModelAndTheRunGoesOn() {
		LocalTool broken = LocalTool.of("get_weather", "Weather", City.class, (where) -> {
			throw new IllegalStateException("the weather service is down");
		});
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Cork\"}"));
		this.dedalus.enqueue(StreamScript.create().text("I could not check"));
		RunResult result = this.runner.run(RunRequest.builder().input("Weather?").tool(broken).build())
			.block(Duration.ofSeconds(10));
		assertThat(result.toolResults()).singleElement().satisfies((tool) -> {
			assertThat(tool.failed()).isTrue();
			assertThat(tool.result()).isEqualTo("Error: the weather service is down");
		});
		assertThat(result.finalOutput()).isEqualTo("I could not check");
	}

	@Test
	void argumentsThatDoNotFitAndUnknownToolsGoBackAsErrors() {
		this.dedalus.enqueue(StreamScript.create()
			.toolCall("call_1", "get_weather", "{\"town\":\"Cork\"}")
			.toolCall("call_2", "get_tide", "{}"));
		this.dedalus.enqueue(StreamScript.create().text("Sorry"));
		RunResult result = this.runner.run(RunRequest.builder().input("Weather?").tool(weather()).build())
			.block(Duration.ofSeconds(10));
		assertThat(result.toolResults()).extracting(ToolResult::result)
			.satisfiesExactly((first) -> assertThat(first).startsWith("Error: the arguments do not fit")
				.contains("town"), (second) -> assertThat(second).isEqualTo("Error: no local tool is named 'get_tide'"));
	}

	@Test
	void aToolPastItsTimeoutCountsAsFailedAndIsInterrupted() {
		AtomicBoolean interrupted = new AtomicBoolean();
		LocalTool stuck = LocalTool.of("get_weather", "Weather", City.class, (where) -> {
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			return "never";
		});
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Cork\"}"));
		this.dedalus.enqueue(StreamScript.create().text("Too slow"));
		RunResult result = this.runner.run(RunRequest.builder()
			.input("Weather?")
			.tool(stuck)
			.toolTimeout(Duration.ofMillis(200))
			.build()).block(Duration.ofSeconds(10));
		assertThat(result.toolResults()).singleElement()
			.satisfies((tool) -> assertThat(tool.result()).startsWith("Error: the tool did not finish within"));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
	}

	@Test
	void reachingMaxStepsEndsTheRunAndSaysSo() {
		for (int i = 0; i < 2; i++) {
			this.dedalus.enqueue(StreamScript.create().toolCall("call_" + i, "get_weather", "{\"city\":\"Cork\"}"));
		}
		RunResult result = this.runner.run(RunRequest.builder().input("Weather?").tool(weather()).maxSteps(2).build())
			.block(Duration.ofSeconds(10));
		assertThat(result.finishReason()).isEqualTo(RunFinishReason.MAX_STEPS);
		assertThat(result.stepsUsed()).isEqualTo(2);
		assertThat(this.dedalus.requestCount()).isEqualTo(2);
	}

	@Test
	void cancellingWhileAToolRunsInterruptsIt() {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		LocalTool stuck = LocalTool.of("get_weather", "Weather", City.class, (where) -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			return "never";
		});
		this.dedalus.enqueue(StreamScript.create().toolCall("call_1", "get_weather", "{\"city\":\"Cork\"}"));
		StepVerifier.create(this.runner.stream(RunRequest.builder().input("Weather?").tool(stuck).build()))
			.thenConsumeWhile((event) -> !(event instanceof RunEvent.ToolCallReady))
			.then(() -> await(started))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
		assertThat(this.dedalus.requestCount()).as("no second model call").isEqualTo(1);
	}

	@Test
	void aRoutingListIsSentAsIs() {
		this.dedalus.enqueue(StreamScript.create().text("ok"));
		this.runner.run(RunRequest.builder()
			.models(List.of("openai/gpt-5", "anthropic/claude-sonnet-4"))
			.input("Hi")
			.mcpServers("dedalus-labs/brave-search")
			.build()).block(Duration.ofSeconds(10));
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().get("model").toString()).isEqualTo("[\"openai/gpt-5\",\"anthropic/claude-sonnet-4\"]");
		assertThat(sent.json().get("mcp_servers").toString()).isEqualTo("[\"dedalus-labs/brave-search\"]");
	}

	@Test
	@SuppressWarnings("unchecked")
	void schemasComeFromRecordsWithNestingEnumsAndOptionalFields() {
		LocalTool forecast = LocalTool.ofAsync("forecast", "A forecast", Forecast.class, (what) -> Mono.just("dry"));
		Map<String, Object> schema = forecast.parametersSchema();
		assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false);
		assertThat((List<Object>) schema.get("required")).as("Optional and @Nullable components are optional")
			.containsExactlyInAnyOrder("where", "units");
		String text = schema.toString();
		assertThat(text).contains("city").contains("The city").contains("[C, F]");
	}

	record Verdict(String city, int degrees) {
	}

	static final class WeatherDesk {

		@DedalusTool(name = "get_weather", description = "Get the current weather in a city")
		public String weather(City where) {
			return "Drizzle in " + where.city();
		}

		@DedalusTool(description = "The time in Dublin")
		public Mono<String> clock() {
			return Mono.just("half past four");
		}

		public String notATool() {
			return "ignored";
		}

	}

	@Test
	void dedalusToolMethodsBecomeToolsAndRunnerToolsJoinEveryRun() {
		List<LocalTool> tools = LocalTool.fromMethods(new WeatherDesk());
		assertThat(tools).extracting(LocalTool::name).containsExactly("clock", "get_weather");
		this.dedalus.enqueue(StreamScript.create()
			.toolCall("call_1", "get_weather", "{\"city\":\"Howth\"}")
			.toolCall("call_2", "clock", "{}"));
		this.dedalus.enqueue(StreamScript.create().text("Drizzle, half past four"));
		RunResult result = this.runner.withTools(tools)
			.run(RunRequest.builder().input("Weather and time?").build())
			.block(Duration.ofSeconds(10));
		assertThat(result.toolResults()).extracting(ToolResult::result)
			.containsExactly("Drizzle in Howth", "half past four");
		RecordedChatRequest first = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(first.json().get("tools")).hasSize(2);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LocalTool.fromMethods(new Object() {
				@DedalusTool(description = "Two things")
				public String two(City a, City b) {
					return "";
				}
			}))
			.withMessageContaining("takes 2 parameters");
	}

	@Test
	void aStructuredAnswerGrowsAsItStreamsAndIsReadIntoTheRecord() {
		this.dedalus.enqueue(StreamScript.create().tokens("{\"city", "\":\"Dub", "lin\",", "\"degrees\":", "12", "}"));
		List<RunEvent> events = this.runner.stream(RunRequest.builder()
			.input("Weather in Dublin, as JSON")
			.responseFormat(Verdict.class)
			.build()).collectList().block(Duration.ofSeconds(10));
		assertThat(events).filteredOn(RunEvent.PartialOutput.class::isInstance)
			.extracting((event) -> ((RunEvent.PartialOutput) event).value().toString())
			.containsExactly("{}", "{\"city\":\"Dub\"}", "{\"city\":\"Dublin\"}", "{\"city\":\"Dublin\",\"degrees\":12}");
		RunResult result = ((RunEvent.RunCompleted) events.get(events.size() - 1)).result();
		assertThat(result.finalOutput(Verdict.class)).isEqualTo(new Verdict("Dublin", 12));
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().at("/response_format/type").asString()).isEqualTo("json_schema");
		assertThat(sent.json().at("/response_format/json_schema/strict").asBoolean()).isTrue();
	}

	@Test
	void toolsDedalusRanOnItsSideAreReported() {
		this.dedalus.enqueue(StreamScript.create()
			.chunk("{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
					+ "\"choices\":[],\"mcp_tool_results\":[{\"tool_name\":\"brave_search\",\"server_name\":"
					+ "\"dedalus-labs/brave-search\",\"result\":\"Bloomsday is 16 June\",\"is_error\":false}]}")
			.text("It is on 16 June"));
		List<RunEvent> events = this.runner.stream(RunRequest.builder()
			.input("When is Bloomsday?")
			.mcpServers("dedalus-labs/brave-search")
			.build()).collectList().block(Duration.ofSeconds(10));
		assertThat(events).filteredOn(RunEvent.ServerToolResult.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((RunEvent.ServerToolResult) event).result().get("tool_name").asString())
				.isEqualTo("brave_search"));
		RunResult result = ((RunEvent.RunCompleted) events.get(events.size() - 1)).result();
		assertThat(result.serverToolResults()).hasSize(1);
		assertThat(result.finalOutput()).isEqualTo("It is on 16 June");
	}

	@Test
	void duplicateToolNamesAreRefusedWhenTheRequestIsBuilt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RunRequest.builder().input("Hi").tool(weather()).tool(weather()).build())
			.withMessageContaining("Two local tools are named 'get_weather'");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
