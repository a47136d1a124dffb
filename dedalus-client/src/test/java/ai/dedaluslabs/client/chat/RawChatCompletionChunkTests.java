package ai.dedaluslabs.client.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The raw chunk keeps the API's bytes: written on as they came, decoded to text only when asked.
 */
class RawChatCompletionChunkTests {

	private static final String JSON = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\u00e9t\u00e9 \ud83c\udf0d\"}}]}";

	private static final ChatCompletionChunk CHUNK = new ChatCompletionChunk("c", null, 0, "m",
			List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, "\u00e9t\u00e9 \ud83c\udf0d", null, List.of()),
					null, null)),
			null, null, null);

	@Test
	void bytesFromTheMiddleOfABufferAreCopiedAndKeptAsTheyCame() {
		byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
		byte[] buffer = new byte[utf8.length + 10];
		System.arraycopy(utf8, 0, buffer, 4, utf8.length);
		RawChatCompletionChunk raw = RawChatCompletionChunk.ofUtf8(buffer, 4, utf8.length, CHUNK);
		// the buffer is reused after the call: the raw chunk must not see that
		java.util.Arrays.fill(buffer, (byte) '#');
		assertThat(raw.json()).isEqualTo(JSON);
		assertThat(raw.jsonLength()).isEqualTo(utf8.length);
		assertThat(raw.jsonBytes()).isEqualTo(utf8);
		assertThat(raw.chunk()).isSameAs(CHUNK);
	}

	@Test
	void copyAndWriteGiveTheSameBytes() throws Exception {
		RawChatCompletionChunk raw = new RawChatCompletionChunk(JSON, CHUNK);
		byte[] target = new byte[raw.jsonLength() + 3];
		assertThat(raw.copyJson(target, 3)).isEqualTo(target.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		raw.writeJson(out);
		assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(target, 3, target.length))
			.isEqualTo(JSON.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void theBytesCannotBeChangedFromOutside() {
		RawChatCompletionChunk raw = new RawChatCompletionChunk(JSON, CHUNK);
		raw.jsonBytes()[0] = '#';
		assertThat(raw.json()).isEqualTo(JSON);
		assertThat(raw.jsonBytes()[0]).isEqualTo((byte) '{');
	}

	@Test
	void equalityIsByJsonAndChunk() {
		RawChatCompletionChunk fromText = new RawChatCompletionChunk(JSON, CHUNK);
		byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
		RawChatCompletionChunk fromBytes = RawChatCompletionChunk.ofUtf8(utf8, 0, utf8.length, CHUNK);
		assertThat(fromBytes).isEqualTo(fromText).hasSameHashCodeAs(fromText);
		assertThat(fromBytes).isNotEqualTo(new RawChatCompletionChunk("{}", CHUNK));
		assertThat(fromText.toString()).contains(JSON);
	}

	@Test
	void badArgumentsAreRefused() {
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new RawChatCompletionChunk(null, CHUNK))
			.withMessage("json");
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> new RawChatCompletionChunk(JSON, null))
			.withMessage("chunk");
		assertThatExceptionOfType(IndexOutOfBoundsException.class)
			.isThrownBy(() -> RawChatCompletionChunk.ofUtf8(new byte[4], 2, 3, CHUNK));
	}


	@Test
	void aCheckedEventMakesItsRecordsOnFirstUseFromItsOwnCopyOfTheBytes() {
		byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
		byte[] buffer = new byte[utf8.length + 10];
		System.arraycopy(utf8, 0, buffer, 4, utf8.length);
		java.util.concurrent.atomic.AtomicInteger decoded = new java.util.concurrent.atomic.AtomicInteger();
		RawChatCompletionChunk raw = RawChatCompletionChunk.ofCheckedUtf8(buffer, 4, utf8.length, "m", 1, (bytes) -> {
			decoded.incrementAndGet();
			assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(JSON);
			return CHUNK;
		});
		java.util.Arrays.fill(buffer, (byte) '#');
		assertThat(raw.model()).isEqualTo("m");
		assertThat(raw.usage()).isNull();
		assertThat(raw.choiceCount()).isEqualTo(1);
		assertThat(raw.json()).isEqualTo(JSON);
		assertThat(decoded).as("records made before anyone asked").hasValue(0);
		assertThat(raw.chunk()).isSameAs(CHUNK);
		assertThat(raw.chunk()).isSameAs(CHUNK);
		assertThat(decoded).as("records made once").hasValue(1);
		assertThat(raw).isEqualTo(RawChatCompletionChunk.ofUtf8(utf8, 0, utf8.length, CHUNK))
			.hasSameHashCodeAs(RawChatCompletionChunk.ofUtf8(utf8, 0, utf8.length, CHUNK));
	}

	@Test
	void whatTheBookkeepingReadsIsWhatTheRecordsSay() {
		Usage usage = new Usage(3, 4, 7, null, null);
		ChatCompletionChunk usageOnly = new ChatCompletionChunk("c", null, 0, null, List.of(), usage, null, null);
		RawChatCompletionChunk raw = new RawChatCompletionChunk("{\"id\":\"c\",\"choices\":[],\"usage\":{}}", usageOnly);
		assertThat(raw.model()).isEmpty();
		assertThat(raw.usage()).isSameAs(usage);
		assertThat(raw.choiceCount()).isZero();
		assertThat(new RawChatCompletionChunk(JSON, CHUNK).model()).isEqualTo("m");
		assertThat(RawChatCompletionChunk.ofCheckedUtf8(new byte[] { '{', '}' }, 0, 2, null, 0, (bytes) -> usageOnly)
			.model()).as("no model named").isEmpty();
	}

	@Test
	void aCheckedEventNeedsADecoderAndACountThatIsNotNegative() {
		byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> RawChatCompletionChunk.ofCheckedUtf8(utf8, 0, utf8.length, "m", -1, (bytes) -> CHUNK))
			.withMessageContaining("choiceCount");
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> RawChatCompletionChunk.ofCheckedUtf8(utf8, 0, utf8.length, "m", 1, null))
			.withMessageContaining("decoder");
	}

}
