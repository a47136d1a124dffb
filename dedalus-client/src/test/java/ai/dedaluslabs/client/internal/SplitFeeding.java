package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.json.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Feeds SSE bytes to a {@link ChunkStreamDecoder} cut at every possible point, so that every
 * case is checked with lines, {@code \r\n} pairs and UTF-8 characters split across buffers. Each
 * piece is fed from one reused buffer that is overwritten after every feed, as a network buffer is
 * reused: an event that kept referring to the bytes of an earlier piece would decode as garbage.
 */
final class SplitFeeding {

	static final int MAX_EVENT_SIZE = 4096;

	private SplitFeeding() {
	}

	/** The decoded stream for bytes fed in pieces cut at the given offsets. */
	static Flux<ChatCompletionChunk> decode(byte[] bytes, int... cuts) {
		return decode((data, offset, length, chunk) -> chunk, bytes, cuts);
	}

	/** The stream, each element made by {@code mapper}, for bytes fed in pieces cut at the given offsets. */
	static <T> Flux<T> decode(EventMapper<T> mapper, byte[] bytes, int... cuts) {
		return Flux.defer(() -> {
			ChunkStreamDecoder<T> decoder = new ChunkStreamDecoder<>(new ChunkDecoder(WireJson.defaultMapper(), Secrets.none()), mapper,
					MAX_EVENT_SIZE);
			List<Iterable<Object>> pieces = new ArrayList<>();
			byte[] reused = new byte[bytes.length + 1];
			int start = 0;
			for (int cut : cuts) {
				pieces.add(feedReused(decoder, reused, bytes, start, cut));
				start = cut;
			}
			pieces.add(feedReused(decoder, reused, bytes, start, bytes.length));
			pieces.add(decoder.finish());
			return ChunkStreamDecoder.completeAtEnd(Flux.fromIterable(pieces).concatMapIterable((piece) -> piece));
		});
	}

	private static Iterable<Object> feedReused(ChunkStreamDecoder<?> decoder, byte[] reused, byte[] bytes, int start,
			int end) {
		// At offset 1, so that no code may assume an event's data starts at 0.
		System.arraycopy(bytes, start, reused, 1, end - start);
		Iterable<Object> elements = decoder.feed(reused, 1, end - start);
		Arrays.fill(reused, (byte) '#');
		return elements;
	}

	/**
	 * The raw stream for bytes fed in pieces cut at the given offsets, each event's records made
	 * from its bytes when the element is taken, after the piece it came in has been overwritten.
	 */
	static Flux<ChatCompletionChunk> decodeRaw(byte[] bytes, int... cuts) {
		RawEvents raw = new RawEvents(new ChunkDecoder(WireJson.defaultMapper(), Secrets.none())::decodeChecked);
		return decode(raw, bytes, cuts).map(RawChatCompletionChunk::chunk);
	}

	/**
	 * Check the stream of {@code sse} whole, cut at every single point, and fed one byte at a time;
	 * as chunks, and as a raw stream whose records are made on demand.
	 */
	static void verifyAtEverySplit(String sse, Consumer<StepVerifier.FirstStep<ChatCompletionChunk>> expectation) {
		verifyAtEverySplit(sse, expectation, SplitFeeding::decode);
		verifyAtEverySplit(sse, expectation, SplitFeeding::decodeRaw);
	}

	private static void verifyAtEverySplit(String sse, Consumer<StepVerifier.FirstStep<ChatCompletionChunk>> expectation,
			BiFunction<byte[], int[], Flux<ChatCompletionChunk>> decode) {
		byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
		expectation.accept(StepVerifier.create(decode.apply(bytes, new int[0])));
		for (int cut = 1; cut < bytes.length; cut++) {
			expectation.accept(StepVerifier.create(decode.apply(bytes, new int[] { cut })));
		}
		int[] everyByte = new int[Math.max(0, bytes.length - 1)];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = i + 1;
		}
		expectation.accept(StepVerifier.create(decode.apply(bytes, everyByte)));
	}

	static String content(ChatCompletionChunk chunk) {
		return chunk.choices().get(0).delta().content();
	}

}
