package ai.dedaluslabs.client;

import java.util.ArrayList;
import java.util.List;

import mockwebserver3.MockResponse;

/**
 * SSE bodies and responses for tests against {@code mockwebserver3}.
 */
final class Sse {

	private Sse() {
	}

	static String chunk(int index, String content) {
		return "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"openai/gpt-5-nano\","
				+ "\"choices\":[{\"index\":" + index + ",\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
	}

	static String finish(int index, String reason) {
		return "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"openai/gpt-5-nano\","
				+ "\"choices\":[{\"index\":" + index + ",\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
	}

	static String usage(int prompt, int completion) {
		return "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"openai/gpt-5-nano\","
				+ "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
				+ ",\"total_tokens\":" + (prompt + completion) + "}}";
	}

	/** The SSE text of events, each as {@code data: ...} and a blank line. */
	static String events(String... data) {
		StringBuilder body = new StringBuilder();
		for (String event : data) {
			body.append("data: ").append(event).append("\n\n");
		}
		return body.toString();
	}

	/** A complete answer: the words as content chunks, a finish, usage and {@code [DONE]}. */
	static String answer(String... words) {
		List<String> data = new ArrayList<>();
		for (String word : words) {
			data.add(chunk(0, word));
		}
		data.add(finish(0, "stop"));
		data.add(usage(10, words.length));
		data.add("[DONE]");
		return events(data.toArray(String[]::new));
	}

	static MockResponse ok(String sseBody) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/event-stream")
			.addHeader("x-request-id", "req_stream")
			.chunkedBody(sseBody, 64)
			.build();
	}

	static MockResponse error(int status, String body) {
		return new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "application/json")
			.addHeader("x-request-id", "req_abc")
			.body(body)
			.build();
	}

}
