package ai.dedaluslabs.spring.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frame's bytes on the wire, and a raw chunk's JSON passed through byte for byte.
 */
class SseBytesTests {

	private static final ChatCompletionChunk CHUNK = new ChatCompletionChunk("c", null, 0, "m", List.of(), null, null,
			null);

	@Test
	void rawFrameIsTheApisBytesBetweenDataAndABlankLine() {
		// Not normalised in any way: spacing, escapes and non-ASCII text stay as the API wrote them.
		String json = "{ \"id\":\"c\",  \"choices\":[],\"x\":\"\\u00e9 \u00e9 \ud83c\udf0d\"}";
		byte[] bytes = SseBytes.of(new SseFrame.Raw(new RawChatCompletionChunk(json, CHUNK)));
		assertThat(bytes).isEqualTo(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void everyOtherFrame() {
		assertThat(text(SseFrame.Data.of("{\"a\":1}"))).isEqualTo("data: {\"a\":1}\n\n");
		assertThat(text(new SseFrame.Data(List.of(" lead", "", "x")))).isEqualTo("data:  lead\ndata: \ndata: x\n\n");
		assertThat(text(SseFrame.DONE)).isEqualTo("data: [DONE]\n\n");
		assertThat(text(SseFrame.NAMED_DONE)).isEqualTo("event: done\ndata: [DONE]\n\n");
		assertThat(text(new SseFrame.Error("{\"error\":{}}"))).isEqualTo("event: error\ndata: {\"error\":{}}\n\n");
		assertThat(text(SseFrame.HEARTBEAT)).isEqualTo(": keepalive\n\n");
		assertThat(text(new SseFrame.Identified("s.3", SseFrame.DONE))).isEqualTo("id: s.3\ndata: [DONE]\n\n");
	}

	private static String text(SseFrame frame) {
		return new String(SseBytes.of(frame), StandardCharsets.UTF_8);
	}

}
