package ai.dedaluslabs.bench;

import java.nio.charset.StandardCharsets;

/**
 * The bytes the benchmark upstream streams: realistic {@code chat.completion.chunk} events of about
 * 230 bytes, one token each, then a finish chunk, a usage chunk and {@code [DONE]}.
 */
final class StreamBytes {

	static final String TOKEN_EVENT = "data: {\"id\":\"chatcmpl-bench-7f3a9c2e\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1727346142,\"model\":\"openai/gpt-5-nano\",\"system_fingerprint\":\"fp_bench\",\"choices\":"
			+ "[{\"index\":0,\"delta\":{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";

	static final String END = "data: {\"id\":\"chatcmpl-bench-7f3a9c2e\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1727346142,\"model\":\"openai/gpt-5-nano\",\"choices\":[{\"index\":0,\"delta\":{},"
			+ "\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n"
			+ "data: {\"id\":\"chatcmpl-bench-7f3a9c2e\",\"object\":\"chat.completion.chunk\",\"created\":1727346142,"
			+ "\"model\":\"openai/gpt-5-nano\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":200000,"
			+ "\"total_tokens\":200012}}\n\ndata: [DONE]\n\n";

	/** Token events written per network write. */
	static final int EVENTS_PER_BLOCK = 250;

	static final byte[] BLOCK = TOKEN_EVENT.repeat(EVENTS_PER_BLOCK).getBytes(StandardCharsets.UTF_8);

	static final byte[] END_BYTES = END.getBytes(StandardCharsets.UTF_8);

	/** Events each stream carries, besides the finish and usage events. */
	static final int TOKENS = 200_000;

	private StreamBytes() {
	}

}
