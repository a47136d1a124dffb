package ai.dedaluslabs.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each script produces exactly the bytes the real API sends: compared with the streams recorded
 * by the official Dedalus Python SDK's tests. (The recorded files end {@code data: [DONE]\n};
 * the API, and this server, close the event with a blank line.)
 */
@Timeout(30)
class StreamScriptWireTests {

	private final DedalusMockServer server = DedalusMockServer.start();

	@AfterEach
	void stop() {
		this.server.close();
	}

	private String streamed(StreamScript script) throws Exception {
		this.server.enqueue(script);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.server.baseUrl() + "/v1/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
		return response.body();
	}

	private static String recorded(String name) throws IOException {
		try (InputStream in = StreamScriptWireTests.class.getResourceAsStream("/wire-examples/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
		}
	}

	@Test
	void textMatchesTheRecordedBasicStream() throws Exception {
		assertThat(streamed(StreamScript.create()
			.id("chatcmpl-test123")
			.created(1727346142)
			.systemFingerprint("fp_test")
			.text("Hello there!")
			.withoutUsage())).isEqualTo(recorded("streaming_basic.sse"));
	}

	@Test
	void toolCallMatchesTheRecordedToolCallStream() throws Exception {
		assertThat(streamed(StreamScript.create()
			.id("chatcmpl-tool123")
			.created(1727346165)
			.systemFingerprint("fp_test")
			.toolCall("call_abc123", "GetWeatherArgs", "{\"city\":\"Edinburgh\",\"country\":\"UK\",\"units\":\"c\"}")
			.usage(76, 24)
			.usageOnFinishChunk())).isEqualTo(recorded("streaming_tool_call.sse"));
	}

	@Test
	void refusalMatchesTheRecordedRefusalStream() throws Exception {
		assertThat(streamed(StreamScript.create()
			.id("chatcmpl-refusal123")
			.created(1727346164)
			.systemFingerprint("fp_test")
			.refusal("I'm", " sorry", ",", " I", " can't", " assist", " with", " that.")
			.usage(79, 12)
			.usageOnFinishChunk())).isEqualTo(recorded("streaming_refusal.sse"));
	}

	@Test
	void finishReasonMatchesTheRecordedMaxTokensStream() throws Exception {
		assertThat(streamed(StreamScript.create()
			.id("chatcmpl-length123")
			.created(1727346163)
			.systemFingerprint("fp_test")
			.tokens("{\"")
			.finish("length")
			.usage(79, 1)
			.usageOnFinishChunk())).isEqualTo(recorded("streaming_max_tokens.sse"));
	}

	@Test
	void usageComesInItsOwnChunkWithEmptyChoicesByDefault() throws Exception {
		String body = streamed(StreamScript.create().text("Hi").usage(5, 1));
		assertThat(body).endsWith("\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,"
				+ "\"total_tokens\":6}}\n\ndata: [DONE]\n\n");
		assertThat(body).contains("\"model\":\"gpt-4o\"").as("the request's model by default");
	}

	@Test
	void faultsWriteWhatTheApiWouldWrite() throws Exception {
		assertThat(streamed(StreamScript.create().text("a b").fault(StreamFault.errorEvent(1, "server_error", "boom"))))
			.endsWith("\n\nevent: error\ndata: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,"
					+ "\"code\":null}}\n\n")
			.doesNotContain("[DONE]");
		assertThat(streamed(StreamScript.create().text("a").fault(StreamFault.malformedEvent(2))))
			.endsWith("data: {\"id\": \"chatcmpl-mock\", \"choices\": [oops\n\n");
		assertThat(streamed(StreamScript.create().text("a").withoutDone())).doesNotContain("[DONE]");
	}

}
