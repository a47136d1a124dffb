package ai.dedaluslabs.client.internal;

import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.json.WireJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMH: the SSE line reader and event assembler on their own, and the chunk decoder on its own
 * (with data binding beside it for reference), per event of the benchmark stream. In the client's
 * own package because these classes are package-private; it lives with the client's tests for
 * that reason and runs from ./benchmarks/run.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseParserBenchmark {

	private static final String EVENT = "data: {\"id\":\"chatcmpl-bench-7f3a9c2e\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1727346142,\"model\":\"openai/gpt-5-nano\",\"system_fingerprint\":\"fp_bench\",\"choices\":"
			+ "[{\"index\":0,\"delta\":{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";

	private static final int EVENTS = 250;

	private final byte[] block = EVENT.repeat(EVENTS).getBytes(java.nio.charset.StandardCharsets.UTF_8);

	private final byte[] json = EVENT.substring(6, EVENT.length() - 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);

	private final JsonMapper mapper = WireJson.defaultMapper();

	private final ChunkDecoder decoder = new ChunkDecoder(this.mapper, Secrets.none());

	private final ChunkParser parser = this.decoder.newParser();

	private final int[] events = new int[1];

	private final SseLineReader reader = new SseLineReader(
			new SseEventAssembler((type, data, offset, length) -> this.events[0] += length, 8 << 20), 8 << 20);

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public int sseLinesAndEvents() {
		this.reader.feed(this.block, 0, this.block.length);
		return this.events[0];
	}

	@Benchmark
	public ChatCompletionChunk chunkDecoder() {
		return this.decoder.decode(this.parser, null, this.json, 0, this.json.length);
	}

	@Benchmark
	public ChatCompletionChunk jacksonDataBindingForReference() {
		return this.mapper.readValue(this.json, ChatCompletionChunk.class);
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void wholeDecoderPerEvent(Blackhole blackhole) {
		ChunkStreamDecoder<ChatCompletionChunk> stream = new ChunkStreamDecoder<>(this.decoder,
				(data, offset, length, chunk) -> chunk, 8 << 20);
		blackhole.consume(stream.feed(this.block, 0, this.block.length));
	}

}
