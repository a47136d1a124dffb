package ai.dedaluslabs.spring.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.chat.Usage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a streamed request is charged: the usage the API reported, else the estimate, counted from
 * what each event says without decoding its records.
 */
class TokenTallyTests {

	private static final byte[] EVENT = "{\"choices\":[{},{}]}".getBytes(StandardCharsets.UTF_8);

	@Test
	void withoutUsageTheEstimateIsTheRequestAndOneTokenPerStreamedChoice() {
		TokenTally tally = new TokenTally(400);
		for (int i = 0; i < 3; i++) {
			tally.observe(checked(2));
		}
		tally.observe(checked(0));
		assertThat(tally.reported()).isFalse();
		assertThat(tally.tokens()).isEqualTo(100 + 6);
	}

	@Test
	void reportedUsageIsWhatIsCharged() {
		TokenTally tally = new TokenTally(400);
		tally.observe(checked(1));
		Usage usage = new Usage(30, 12, 42, null, null);
		tally.observe(new RawChatCompletionChunk("{\"choices\":[],\"usage\":{}}",
				new ChatCompletionChunk("c", null, 0, "m", List.of(), usage, null, null)));
		assertThat(tally.reported()).isTrue();
		assertThat(tally.tokens()).isEqualTo(42);
	}

	/** An event whose records cannot be made: counting must not ask for them. */
	private static RawChatCompletionChunk checked(int choices) {
		return RawChatCompletionChunk.ofCheckedUtf8(EVENT, 0, EVENT.length, "m", choices, (bytes) -> {
			throw new AssertionError("records made to count tokens");
		});
	}

}
