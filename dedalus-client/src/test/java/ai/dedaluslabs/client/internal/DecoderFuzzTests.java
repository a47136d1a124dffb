package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.json.WireJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests over the decoder with seeded randomness (a failure names its seed): random event
 * shapes, line ends and splits decode to exactly the generated text; random byte mutations never
 * hang, never fail with anything but a {@link DedalusException}, always end, and never deliver a
 * chunk whose event was not one complete JSON object.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DecoderFuzzTests {

	private static final int STREAMS = 400;

	private static final JsonMapper STRICT = WireJson.defaultMapper();

	private static final String[] PIECES = { "a", "Stately", " plump", "\\n", "\\\"", "\\u00e9", "\u4e16", "\ud83c\udf0d",
			"data: x", ":", "{", "}", "\\r\\n", " ", "[DONE]", "\u2028" };

	/** Bytes that change the structure of SSE or JSON when inserted. */
	private static final String INSERTED = "{}\",:\n\r \\[]0";

	private static final String[] LINE_ENDS = { "\n", "\r\n", "\r" };

	/** One generated stream: its bytes and the text of each of its chunks. */
	private record Generated(byte[] bytes, List<String> texts) {
	}

	private static Generated generate(Random random) {
		StringBuilder sse = new StringBuilder();
		List<String> texts = new ArrayList<>();
		String end = LINE_ENDS[random.nextInt(LINE_ENDS.length)];
		if (random.nextInt(10) == 0) {
			sse.append('\uFEFF');
		}
		int events = 1 + random.nextInt(8);
		for (int i = 0; i < events; i++) {
			StringBuilder escaped = new StringBuilder();
			StringBuilder text = new StringBuilder();
			for (int p = random.nextInt(4); p > 0; p--) {
				String piece = PIECES[random.nextInt(PIECES.length)];
				escaped.append(piece);
				text.append(STRICT.readValue("\"" + piece + "\"", String.class));
			}
			texts.add(text.toString());
			String json = "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + escaped
					+ "\"},\"finish_reason\":" + ((i == events - 1) ? "\"stop\"" : "null") + "}]}";
			switch (random.nextInt(5)) {
				case 0 -> sse.append(": keep-alive").append(end);
				case 1 -> sse.append("id: ").append(i).append(end).append("retry: 5").append(end);
				case 2 -> sse.append("event: message").append(end);
				default -> {
				}
			}
			if (random.nextBoolean()) {
				int cut = json.indexOf(",\"model\"") + 1;
				sse.append("data:").append(json, 0, cut).append(end).append("data:").append(json.substring(cut));
			}
			else {
				sse.append("data: ").append(json);
			}
			sse.append(end).append(end);
		}
		if (random.nextBoolean()) {
			sse.append("data: [DONE]").append(end).append(end);
		}
		return new Generated(sse.toString().getBytes(StandardCharsets.UTF_8), texts);
	}

	private static int[] randomCuts(Random random, int length) {
		if (length < 2) {
			return new int[0];
		}
		return random.ints(random.nextInt(12), 1, length).sorted().distinct().toArray();
	}

	@Test
	void randomShapesAndSplitsDecodeToTheGeneratedText() {
		for (int seed = 0; seed < STREAMS; seed++) {
			Random random = new Random(seed);
			Generated stream = generate(random);
			for (int round = 0; round < 3; round++) {
				List<String> decoded = SplitFeeding.decode(stream.bytes(), randomCuts(random, stream.bytes().length))
					.map(SplitFeeding::content)
					.collectList()
					.block(Duration.ofSeconds(5));
				assertThat(decoded).as("seed %d, round %d", seed, round).isEqualTo(stream.texts());
			}
		}
	}

	@Test
	void mutatedStreamsEndWithChunksOfValidJsonOrATypedError() {
		for (int seed = 0; seed < STREAMS; seed++) {
			Random random = new Random(1_000_000L + seed);
			byte[] bytes = mutate(random, generate(random).bytes());
			AtomicReference<Throwable> failure = new AtomicReference<>();
			List<String> events = SplitFeeding
				.decode((data, offset, length, chunk) -> new String(data, offset, length, StandardCharsets.UTF_8), bytes,
						randomCuts(random, bytes.length))
				.onErrorResume((error) -> {
					failure.set(error);
					return Flux.empty();
				})
				.collectList()
				.block(Duration.ofSeconds(5));
			assertThat(events).as("seed %d ended", seed).isNotNull();
			if (failure.get() != null) {
				assertThat(failure.get()).as("seed %d: %s", seed, failure.get()).isInstanceOf(DedalusException.class);
			}
			for (String event : events) {
				JsonNode json = STRICT.readTree(event);
				assertThat(json.isObject()).as("seed %d delivered a chunk from %s", seed, event).isTrue();
			}
		}
	}

	private static byte[] mutate(Random random, byte[] bytes) {
		byte[] mutated = bytes;
		for (int m = 1 + random.nextInt(3); m > 0 && mutated.length > 0; m--) {
			int at = random.nextInt(mutated.length);
			switch (random.nextInt(3)) {
				case 0 -> mutated[at] = (byte) random.nextInt(256);
				case 1 -> {
					byte[] shorter = new byte[mutated.length - 1];
					System.arraycopy(mutated, 0, shorter, 0, at);
					System.arraycopy(mutated, at + 1, shorter, at, mutated.length - at - 1);
					mutated = shorter;
				}
				default -> {
					byte[] longer = Arrays.copyOf(mutated, mutated.length + 1);
					System.arraycopy(mutated, at, longer, at + 1, mutated.length - at);
					longer[at] = (byte) INSERTED.charAt(random.nextInt(INSERTED.length()));
					mutated = longer;
				}
			}
		}
		return mutated;
	}

}
