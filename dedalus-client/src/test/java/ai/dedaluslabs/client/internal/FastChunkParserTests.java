package ai.dedaluslabs.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FastChunkParser} against Jackson: for every event it reads, the chunk must be the one
 * {@link ChunkParser} reads with Jackson alone, and the event must be JSON that Jackson accepts;
 * what it leaves to Jackson (returns {@code null} for) may be anything. The events sit inside a
 * larger buffer with a quote and brackets after them, as events sit in a network buffer, so reading
 * past an event's end would show. Every event is also checked without records
 * ({@link FastChunkParser#check}), which must accept exactly the events it reads and tell the same
 * model and choices.
 */
class FastChunkParserTests {

	private static final JsonMapper STRICT = WireJson.defaultMapper();

	private static final String TEXT = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,"
			+ "\"model\":\"openai/gpt-5-nano\",\"system_fingerprint\":\"fp_1\",\"service_tier\":\"default\","
			+ "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Stately\"},\"finish_reason\":null}]}";

	@ParameterizedTest
	@ValueSource(strings = { TEXT,
			"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
			"{\"id\":\"c\",\"choices\":[]}", "{}", " \n\t{ \"id\" : \"c\" , \"choices\" : [ { \"index\" : 1 } ] } \r\n",
			"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\nb\\\"c\\\\d\\/e\\u00e9\\ud83d\\ude00\\t\"}}]}",
			"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Stately, plump Buck Mulligan \u00e9 \u4e16 \ud83c\udf0d\"}}]}",
			"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
					+ "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}}]}",
			"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"1}\"}}]}},"
					+ "{\"index\":1,\"delta\":{\"content\":\"two\"}}]}",
			"{\"id\":\"c\",\"x\":{\"a\":[1,-2.5e+3,0.1,true,false,null,\"s\",{\"b\":[]}]},\"choices\":[{\"index\":0,"
					+ "\"extra\":[0],\"delta\":{\"content\":null,\"reasoning\":{\"k\":1E-2}}}]}",
			"{\"id\":null,\"model\":null,\"created\":-5,\"choices\":[{\"index\":0,\"delta\":null,\"finish_reason\":null}]}" })
	void readsTheCommonChunkAsJacksonDoes(String json) {
		assertThat(fast(json)).as("read by the fast path: %s", json).isNotNull().isEqualTo(jackson(json));
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// not JSON: Jackson decides and words the error
			"{\"id\":\"c\",}", "{\"id\":\"c\"", "{\"id\":\"c\"} x", "{\"id\":\"c\"}{}", "{\"id\":\"c", "{\"id\":01}",
			"{\"x\":01}", "{\"x\":1.}", "{\"x\":.5}", "{\"x\":-}", "{\"x\":1e}", "{\"x\":tru}", "{\"x\":nul}",
			"{\"id\":\"a\u0001b\"}", "{\"id\":\"\\x\"}", "{\"id\":\"\\u12G4\"}", "{\"x\":[1,]}", "{\"x\":[1 2]}",
			"{\"x\" 1}", "{'id':'c'}", "[]", "",
			// JSON, but left to data binding or to Jackson's conversions
			"{\"id\":\"c\",\"usage\":{\"prompt_tokens\":1}}", "{\"error\":{\"message\":\"no\"}}",
			"{\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[]}}]}", "{\"created\":1.5}",
			"{\"choices\":[{\"index\":\"0\"}]}", "{\"id\":5}", "{\"choices\":[{\"index\":3000000000}]}",
			"{\"i\\u0064\":\"c\"}" })
	void leavesEverythingElseToJackson(String json) {
		assertThat(fast(json)).as(json).isNull();
	}

	@Test
	void invalidUtf8IsLeftToJackson() {
		byte[][] invalid = { { (byte) 0x80 }, { (byte) 0xC0, (byte) 0x80 }, { (byte) 0xE0, (byte) 0x80, (byte) 0x80 },
				{ (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 },
				{ (byte) 0xE2, (byte) 0x82 }, { (byte) 0xFF } };
		for (byte[] sequence : invalid) {
			byte[] prefix = "{\"id\":\"a".getBytes(StandardCharsets.US_ASCII);
			byte[] suffix = "b\"}".getBytes(StandardCharsets.US_ASCII);
			byte[] json = new byte[prefix.length + sequence.length + suffix.length];
			System.arraycopy(prefix, 0, json, 0, prefix.length);
			System.arraycopy(sequence, 0, json, prefix.length, sequence.length);
			System.arraycopy(suffix, 0, json, prefix.length + sequence.length, suffix.length);
			assertThat(new FastChunkParser().parse(json, 0, json.length)).isNull();
			assertThat(new FastChunkParser().check(json, 0, json.length, (index, finished) -> {
			})).isFalse();
		}
	}

	@Test
	void neverReadsPastTheEndOfTheEvent() {
		// Cut anywhere, an event is incomplete: the bytes after it (here a complete rest) must not finish it.
		byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < bytes.length; cut++) {
			assertThat(new FastChunkParser().parse(bytes, 0, cut)).as("cut at %d", cut).isNull();
			assertThat(new FastChunkParser().check(bytes, 0, cut, (index, finished) -> {
			})).as("checked, cut at %d", cut).isFalse();
		}
	}

	@Test
	void repeatedStringsAreTheSameInstance() {
		FastChunkParser parser = new FastChunkParser();
		ChatCompletionChunk first = parse(parser, TEXT);
		ChatCompletionChunk second = parse(parser, TEXT.replace("Stately", "plump"));
		assertThat(second.id()).isSameAs(first.id());
		assertThat(second.model()).isSameAs(first.model());
		assertThat(second.choices().get(0).delta().role()).isSameAs(first.choices().get(0).delta().role());
		assertThat(second.choices().get(0).delta().content()).isEqualTo("plump");
		ChatCompletionChunk third = parse(parser, TEXT.replace("chatcmpl-1", "chatcmpl-2"));
		assertThat(third.id()).isEqualTo("chatcmpl-2");
	}

	@Test
	void valuesCommonToEveryStreamAreSharedByTheirParsersButTheIdIsNot() {
		ChatCompletionChunk one = parse(new FastChunkParser(), TEXT);
		ChatCompletionChunk other = parse(new FastChunkParser(), TEXT.replace("chatcmpl-1", "chatcmpl-2"));
		assertThat(other.model()).isSameAs(one.model());
		assertThat(other.object()).isSameAs(one.object());
		assertThat(other.choices().get(0).delta().role()).isSameAs(one.choices().get(0).delta().role());
		assertThat(other.id()).isEqualTo("chatcmpl-2");
	}

	@Test
	void moreValuesThanTheSharedEntriesAreStillReadRight() {
		FastChunkParser parser = new FastChunkParser();
		for (int round = 0; round < 3; round++) {
			for (int model = 0; model < 20; model++) {
				String json = TEXT.replace("openai/gpt-5-nano", "provider/model-" + model);
				assertThat(parse(parser, json)).isEqualTo(jackson(json));
			}
		}
	}

	@Test
	void everyRecordedStreamIsReadAsJacksonReadsIt() throws IOException {
		int fast = 0;
		for (String name : List.of("streaming_basic.sse", "streaming_max_tokens.sse", "streaming_refusal.sse",
				"streaming_structured.sse", "streaming_tool_call.sse")) {
			for (String json : events(name)) {
				ChatCompletionChunk chunk = fast(json);
				if (chunk != null) {
					fast++;
					assertThat(chunk).as(json).isEqualTo(jackson(json));
				}
			}
		}
		assertThat(fast).as("events read by the fast path").isGreaterThan(20);
	}

	@Test
	void randomMutationsAreEitherLeftToJacksonOrReadAsJacksonReadsThem() {
		String[] inserted = { "{", "}", "[", "]", "\"", ",", ":", "\\", "\\u", "0", "-", ".", "e", " ", "\u00e9", "\u0001",
				"null", "true", "1e5", "\"usage\":1," };
		int accepted = 0;
		for (int seed = 0; seed < 20_000; seed++) {
			Random random = new Random(seed);
			StringBuilder json = new StringBuilder(TEXT);
			for (int m = 1 + random.nextInt(3); m > 0; m--) {
				int at = random.nextInt(json.length() + 1);
				switch (random.nextInt(3)) {
					case 0 -> json.insert(at, inserted[random.nextInt(inserted.length)]);
					case 1 -> {
						if (at < json.length()) {
							json.deleteCharAt(at);
						}
					}
					default -> json.insert(at, " ");
				}
			}
			String mutated = json.toString();
			ChatCompletionChunk chunk = fast(mutated);
			if (chunk != null) {
				accepted++;
				assertThat(STRICT.readTree(mutated).isObject()).as("seed %d accepted %s", seed, mutated).isTrue();
				assertThat(chunk).as("seed %d: %s", seed, mutated).isEqualTo(jackson(mutated));
			}
		}
		assertThat(accepted).as("mutations still valid and read by the fast path").isGreaterThan(1000);
	}

	@Test
	void theEightByteScanFindsTheSameByteAsAByteByByteScan() {
		Random random = new Random(7);
		byte[] alphabet = { 'a', 'Z', ' ', '~', '"', '\\', 0x1F, 0x00, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF };
		for (int round = 0; round < 20_000; round++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int i = 0; i < bytes.length; i++) {
				// mostly plain letters, so that the special byte lands anywhere in a word
				bytes[i] = (random.nextInt(12) == 0) ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
			}
			int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
			int expected = bytes.length;
			for (int i = from; i < bytes.length; i++) {
				byte b = bytes[i];
				if (b < 0x20 || b == '"' || b == '\\') {
					expected = i;
					break;
				}
			}
			assertThat(FastChunkParser.stringStop(bytes, from, bytes.length)).as("round %d", round).isEqualTo(expected);
		}
	}

	private static ChatCompletionChunk parse(FastChunkParser parser, String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		ChatCompletionChunk chunk = parser.parse(bytes, 0, bytes.length);
		assertThat(chunk).isNotNull();
		return chunk;
	}

	/** The fast path's reading of an event that sits inside a larger buffer, or null. */
	private static @Nullable ChatCompletionChunk fast(String json) {
		byte[] event = json.getBytes(StandardCharsets.UTF_8);
		byte[] prefix = "data: ".getBytes(StandardCharsets.US_ASCII);
		byte[] suffix = "\"}]}\"\n\ndata: {\"id\":\"next\"}".getBytes(StandardCharsets.US_ASCII);
		byte[] buffer = new byte[prefix.length + event.length + suffix.length];
		System.arraycopy(prefix, 0, buffer, 0, prefix.length);
		System.arraycopy(event, 0, buffer, prefix.length, event.length);
		System.arraycopy(suffix, 0, buffer, prefix.length + event.length, suffix.length);
		ChatCompletionChunk chunk = new FastChunkParser().parse(buffer, prefix.length, event.length);
		checkAgreesWithParse(buffer, prefix.length, event.length, chunk, json);
		return chunk;
	}

	/**
	 * The check accepts the event exactly when the parse read it (with a choice index of 0 to 63),
	 * and tells the model, the number of choices and each choice's index and finish as the records
	 * have them; a parser that has checked reads the next event as before.
	 */
	private static void checkAgreesWithParse(byte[] buffer, int offset, int length, @Nullable ChatCompletionChunk parsed,
			String json) {
		FastChunkParser parser = new FastChunkParser();
		List<String> told = new ArrayList<>();
		boolean accepted = parser.check(buffer, offset, length, (index, finished) -> told.add(index + ":" + finished));
		boolean expected = parsed != null
				&& parsed.choices().stream().allMatch((choice) -> choice.index() >= 0 && choice.index() < 64);
		assertThat(accepted).as("checked: %s", json).isEqualTo(expected);
		if (expected) {
			assertThat(parser.checkedModel()).isEqualTo(parsed.model());
			assertThat(parser.checkedChoices()).isEqualTo(parsed.choices().size());
			assertThat(told).isEqualTo(parsed.choices()
				.stream()
				.map((choice) -> choice.index() + ":" + (choice.finishReason() != null))
				.toList());
		}
		assertThat(parser.parse(buffer, offset, length)).as("parsed after a check: %s", json).isEqualTo(parsed);
	}

	/** Jackson's reading, through {@link ChunkParser} without the fast path and data binding after it. */
	private static ChatCompletionChunk jackson(String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		try {
			return new ChunkParser(STRICT, false).parse(bytes, 0, bytes.length);
		}
		catch (ChunkParser.NeedsDataBinding ex) {
			return STRICT.readValue(bytes, ChatCompletionChunk.class);
		}
	}

	private static List<String> events(String name) throws IOException {
		List<String> events = new ArrayList<>();
		try (InputStream in = FastChunkParserTests.class.getResourceAsStream("/wire-examples/" + name)) {
			assertThat(in).as(name).isNotNull();
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n")) {
				if (line.startsWith("data:") && !line.contains("[DONE]")) {
					events.add(line.substring(5).trim());
				}
			}
		}
		return events;
	}

}
