package ai.dedaluslabs.client.internal;

import java.time.Duration;

import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static ai.dedaluslabs.client.internal.SplitFeeding.content;
import static ai.dedaluslabs.client.internal.SplitFeeding.verifyAtEverySplit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoding cases of the OpenAI SDKs' own suites (openai-python {@code tests/test_streaming.py},
 * openai-node {@code tests/streaming.test.ts} and its line-decoder tests, openai-java
 * {@code SseHandlerTest}) and the WPT {@code eventsource/format-*} tests that apply to a stream of
 * JSON {@code data:} events, written for this decoder. Every case is fed whole, cut at every point,
 * and one byte at a time.
 */
class SseConformanceTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static String chunk(String content) {
		return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
	}

	private static String stop() {
		return "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
	}

	// WPT format-bom
	@Test
	void leadingByteOrderMarkIsDropped() {
		String sse = "\uFEFFdata: " + chunk("a") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	// WPT format-bom-2: only one mark is dropped; the second makes the first line an unknown field.
	@Test
	void secondByteOrderMarkIsNotDropped() {
		String sse = "\uFEFF\uFEFFdata: " + chunk("lost") + "\n\ndata: " + chunk("b") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("b"))
			.expectComplete()
			.verify(WAIT));
	}

	// WPT format-field-event-empty: an empty event name is the default, "message".
	@Test
	void emptyEventNameIsAPlainMessage() {
		String sse = "event:\ndata: " + chunk("a") + "\n\nevent: \ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	// The SDKs test the data for [DONE] before the event name.
	@ParameterizedTest
	@ValueSource(strings = { "event: done\n", "event: message\n", "event: error\n", "event: completion\n" })
	void doneCompletesWhateverTheEventName(String eventLine) {
		String sse = "data: " + chunk("a") + "\n\n" + eventLine + "data: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	// openai-python, -node and -java all test data.startsWith("[DONE]").
	@Test
	void dataThatStartsWithDoneCompletes() {
		String sse = "data: " + chunk("a") + "\n\ndata: [DONE] and more\n\ndata: " + chunk("late") + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	// openai-python test_multiple_data_lines_with_empty_line
	@Test
	void emptyDataLinesJoinIntoTheJson() {
		String sse = "data: {\"id\":\"c1\",\ndata: \"model\":\"m\",\ndata: \ndata:\ndata: \"choices\":[{\"index\":0,"
				+ "\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("x"))
			.expectComplete()
			.verify(WAIT));
	}

	// openai-python test_special_new_line_character, openai-node line decoder: only \r and \n end lines.
	@Test
	void unicodeLineSeparatorsInsideJsonAreText() {
		String text = "a\u2028b\u2029c\u0085d";
		String sse = "data: " + chunk(text) + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo(text))
			.expectComplete()
			.verify(WAIT));
	}

	// openai-python test_event_missing_data; WPT: an event without data lines is not dispatched.
	@Test
	void eventWithoutDataIsNotDispatched() {
		String sse = "event: ping\n\nid: 3\n\nretry: 10\n\ndata: " + chunk("a") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	// WPT format-leading-space: one space after the colon is removed, not more.
	@Test
	void onlyOneLeadingSpaceIsRemoved() {
		// "data:  [DONE]" keeps one space: the data is " [DONE]", not the sentinel, and not JSON.
		String sse = "data:   " + chunk("a") + "\n\ndata:  [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("' [DONE]'"))
			.verify(WAIT));
	}

	// WPT format-field-parsing: field names are case-sensitive and must be exact.
	@Test
	void fieldNamesMustBeExact() {
		String sse = "Data: " + chunk("no") + "\n\ndata : " + chunk("no") + "\n\ndat: x\n\ndata: " + chunk("yes")
				+ "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("yes"))
			.expectComplete()
			.verify(WAIT));
	}

	// WPT format-field-data: "data" without a colon is a data line with an empty value.
	@Test
	void dataFieldWithoutColonIsAnEmptyEvent() {
		String sse = "data: " + chunk("a") + "\n\ndata\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("''"))
			.verify(WAIT));
	}

	// WPT format-comments
	@Test
	void commentsAnywhereAreIgnored() {
		String sse = ":\n: x\n:data: nope\ndata: " + chunk("a") + "\n:\n\n: only comments\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1).expectComplete().verify(WAIT));
	}

	// openai-java SseHandlerTest: an error event after content.
	@Test
	void errorEventWithoutJsonIsStillAnError() {
		String sse = "data: " + chunk("a") + "\n\nevent: error\ndata: {\"error\":\"quota exceeded\"}\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(((StreamErrorException) error).errorMessage())
				.isEqualTo("quota exceeded"))
			.verify(WAIT));
	}

	@Test
	void incompleteJsonFailsOnItsOwnEvent() {
		String sse = "data: {\"id\":\"x\",\n\ndata: " + chunk("next") + "\n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("'{\"id\":\"x\",'")
				.hasMessageNotContaining("next"))
			.verify(WAIT));
	}

	@ParameterizedTest
	@ValueSource(strings = { " trailing", "{}", " 5", " \"x", " tru", ",", "]", " null" })
	void textAfterTheJsonObjectFails(String after) {
		String sse = "data: " + chunk("a") + "\n\ndata: " + chunk("b") + after + "\n\ndata: " + chunk("c") + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(MalformedResponseException.class)
				.hasMessageContaining("\"b\""))
			.verify(WAIT));
	}

	@Test
	void whitespaceAroundTheJsonIsFine() {
		String sse = "data:  \t" + chunk("a") + " \t\ndata: \n\ndata: [DONE]\n\n";
		verifyAtEverySplit(sse, (step) -> step.assertNext((c) -> assertThat(content(c)).isEqualTo("a"))
			.expectComplete()
			.verify(WAIT));
	}

	@ParameterizedTest
	@ValueSource(strings = { "42", "\"text\"", "[]", "null", "true", "", "{", "}" })
	void anEventThatIsNotAJsonObjectFails(String payload) {
		String sse = "data: " + chunk("a") + "\n\ndata: " + payload + "\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectError(MalformedResponseException.class)
			.verify(WAIT));
	}

	@Test
	void truncatedJsonInAUsageChunkFails() {
		String sse = "data: " + stop() + "\n\ndata: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectError(MalformedResponseException.class)
			.verify(WAIT));
	}

	@Test
	void usageChunkWithTrailingTextFails() {
		String sse = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1}} x\n\n";
		verifyAtEverySplit(sse, (step) -> step.expectError(MalformedResponseException.class).verify(WAIT));
	}

	// WHATWG and all three SDKs: the last event is dispatched only by its blank line.
	@Test
	void unterminatedFinalEventIsDiscarded() {
		String sse = "data: " + chunk("a") + "\n\ndata: " + stop();
		verifyAtEverySplit(sse, (step) -> step.expectNextCount(1)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("unfinished"))
			.verify(WAIT));
		verifyAtEverySplit(sse + "\n", (step) -> step.expectNextCount(1)
			.expectError(ApiConnectionException.class)
			.verify(WAIT));
		verifyAtEverySplit(sse + "\n\n", (step) -> step.expectNextCount(2).expectComplete().verify(WAIT));
	}

	@Test
	void onlyCommentsThenDoneCompletesEmpty() {
		verifyAtEverySplit(": hi\n\n: there\n\ndata: [DONE]\n\n", (step) -> step.expectComplete().verify(WAIT));
	}

}
