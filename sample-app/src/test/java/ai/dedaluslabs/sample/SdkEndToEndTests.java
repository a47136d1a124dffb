package ai.dedaluslabs.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code openai} and {@code dedalus-labs} npm SDKs, run by Node.js, stream through the
 * sample app's {@code /dedalus} endpoint: text, a tool call accumulated by the SDK's own stream
 * helper, a refusal as {@code BadRequestError}, and an abort that reaches the API. Skipped with a
 * message where Node.js or the SDKs are missing ({@code npm ci --prefix sample-app/src/test/node});
 * under {@code CI=true} that fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulate=false", "dedalus.max-retries=0" })
@AutoConfigureDedalusMock
@Timeout(120)
class SdkEndToEndTests {

	private static final Path SCRIPT_DIRECTORY = Path.of("src/test/node");

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	@Test
	void officialSdksStreamThroughTheEndpoint() throws Exception {
		assumeNodeAndSdks();
		this.dedalus.enqueue(StreamScript.create().text("Ineluctable modality of the visible."));
		this.dedalus.enqueue(StreamScript.create().toolCall("call_42", "get_weather", "{\"city\":\"Dublin\"}"));
		this.dedalus.enqueue(StreamScript.create().text("Once upon a time and a very good time it was").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(30)));
		this.dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan."));
		int disconnectsBefore = this.dedalus.clientDisconnects();

		Map<String, JsonNode> results = run();

		assertThat(results.get("openai-stream").get("text").asString()).isEqualTo("Ineluctable modality of the visible.");
		JsonNode toolCall = results.get("openai-tool-call");
		assertThat(toolCall.get("name").asString()).isEqualTo("get_weather");
		assertThat(toolCall.get("arguments").asString()).isEqualTo("{\"city\":\"Dublin\"}");
		assertThat(toolCall.get("finishReason").asString()).isEqualTo("tool_calls");
		JsonNode refused = results.get("openai-bad-request");
		assertThat(refused.get("badRequest").asBoolean()).as(refused.toString()).isTrue();
		assertThat(refused.get("status").asInt()).isEqualTo(400);
		assertThat(refused.get("message").asString()).contains("mistral/large");
		assertThat(results.get("openai-abort").get("chunks").asInt()).isEqualTo(3);
		assertThat(this.dedalus.awaitClientDisconnects(disconnectsBefore + 1, Duration.ofSeconds(10)))
			.as("the abort reached the API as a closed connection").isTrue();
		assertThat(results.get("dedalus-stream").get("text").asString()).isEqualTo("Stately, plump Buck Mulligan.");

		RecordedChatRequest first = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(first.header("Authorization")).as("the server's key, not the browser's token")
			.isEqualTo("Bearer " + DedalusMockServer.TEST_API_KEY);
	}

	private Map<String, JsonNode> run() throws IOException, InterruptedException {
		Process node = new ProcessBuilder("node", "sdk-e2e.mjs", "http://localhost:" + this.port)
			.directory(SCRIPT_DIRECTORY.toFile())
			.redirectErrorStream(true)
			.start();
		boolean exited = node.waitFor(90, TimeUnit.SECONDS);
		String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!exited) {
			node.destroyForcibly();
		}
		assertThat(exited).as("node finished:\n%s", output).isTrue();
		assertThat(node.exitValue()).as("node exit code; output:\n%s", output).isZero();
		Map<String, JsonNode> results = new HashMap<>();
		for (String line : output.lines().filter((line) -> line.startsWith("{")).toList()) {
			JsonNode result = WireJson.defaultMapper().readTree(line);
			results.put(result.get("scenario").asString(), result);
		}
		assertThat(results.keySet()).as(output).containsExactlyInAnyOrderElementsOf(List.of("openai-stream",
				"openai-tool-call", "openai-bad-request", "openai-abort", "dedalus-stream"));
		return results;
	}

	private static void assumeNodeAndSdks() {
		boolean ready = Files.isDirectory(SCRIPT_DIRECTORY.resolve("node_modules/openai"))
				&& Files.isDirectory(SCRIPT_DIRECTORY.resolve("node_modules/dedalus-labs")) && nodeRuns();
		if (!ready && "true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true but Node.js or the SDKs are missing: .ci/run must install Node.js "
					+ "and run npm ci --prefix sample-app/src/test/node");
		}
		Assumptions.assumeTrue(ready, "Skipping the SDK end-to-end test: install Node.js and run "
				+ "npm ci --prefix sample-app/src/test/node to run it");
	}

	private static boolean nodeRuns() {
		try {
			Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
