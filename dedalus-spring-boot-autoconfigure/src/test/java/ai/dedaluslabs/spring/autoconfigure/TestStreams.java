package ai.dedaluslabs.spring.autoconfigure;

import mockwebserver3.MockResponse;

/**
 * Scripted API answers for auto-configuration tests.
 */
final class TestStreams {

	private TestStreams() {
	}

	static String chunk(String content) {
		return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"openai/gpt-5-nano-2025\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}";
	}

	static MockResponse answer(int promptTokens, String... words) {
		StringBuilder body = new StringBuilder();
		for (String word : words) {
			body.append("data: ").append(chunk(word)).append("\n\n");
		}
		body.append("data: {\"id\":\"chatcmpl-1\",\"model\":\"openai/gpt-5-nano-2025\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
		body.append("data: {\"id\":\"chatcmpl-1\",\"model\":\"openai/gpt-5-nano-2025\",\"choices\":[],\"usage\":{\"prompt_tokens\":")
			.append(promptTokens)
			.append(",\"completion_tokens\":")
			.append(words.length)
			.append(",\"total_tokens\":")
			.append(promptTokens + words.length)
			.append("}}\n\n");
		body.append("data: [DONE]\n\n");
		return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body.toString()).build();
	}

	static MockResponse endless() {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 20_000; i++) {
			body.append("data: ").append(chunk("w")).append("\n\n");
		}
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/event-stream")
			.chunkedBody(body.toString(), 1024)
			.build();
	}

	static MockResponse completion(int promptTokens, int completionTokens) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"openai/gpt-5-nano-2025\","
					+ "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"done\"},\"finish_reason\":\"stop\"}],"
					+ "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
					+ ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}")
			.build();
	}

	static MockResponse status(int code, String... headers) {
		MockResponse.Builder builder = new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":{\"message\":\"status " + code + "\",\"type\":\"test_error\"}}");
		for (int i = 0; i < headers.length; i += 2) {
			builder.addHeader(headers[i], headers[i + 1]);
		}
		return builder.build();
	}

}
