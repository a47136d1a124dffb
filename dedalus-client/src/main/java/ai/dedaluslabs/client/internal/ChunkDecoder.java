package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiError;
import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.error.StreamErrorException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes one SSE event's data into a {@link ChatCompletionChunk}, recognising {@code [DONE]} and
 * errors reported inside the stream. JSON is read straight from the event's bytes.
 *
 * <p>
 * An error payload is found while parsing: a top-level {@code error} key stops the parse and the
 * payload is read again as a tree, so chunks pay nothing for the check.
 */
final class ChunkDecoder {

	private static final int QUOTE_LIMIT = 200;

	private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

	private final JsonMapper mapper;

	private final Secrets secrets;


	/**
	 * Create a decoder.
	 * @param mapper the wire mapper
	 * @param secrets what to mask in every event before it is read
	 */
	ChunkDecoder(JsonMapper mapper, Secrets secrets) {
		this.mapper = mapper;
		this.secrets = secrets;
	}

	/**
	 * Decode one chunk of each kind (text, tool call, usage) once, so that the first streams of a
	 * freshly started application do not all wait on Jackson building its readers.
	 */
	void warmUp() {
		String[] samples = { "{\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"w\"},\"finish_reason\":null}]}",
				"{\"id\":\"w\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\","
						+ "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\"}]}",
				"{\"id\":\"w\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}" };
		ChunkParser parser = newParser();
		for (String sample : samples) {
			byte[] bytes = sample.getBytes(StandardCharsets.UTF_8);
			decode(parser, null, bytes, 0, bytes.length);
		}
	}

	/**
	 * A parser for one stream; it remembers the strings that repeat from chunk to chunk.
	 * @return a new parser
	 */
	ChunkParser newParser() {
		return new ChunkParser(this.mapper);
	}

	/**
	 * Whether an event's data is the {@code [DONE]} sentinel. As in the OpenAI SDKs for Python,
	 * Node and Java, data that starts with {@code [DONE]} ends the stream, whatever the event's name.
	 * @param data the bytes
	 * @param offset where the event's data starts
	 * @param length how many are valid
	 * @return {@code true} for {@code [DONE]}
	 */
	static boolean isDone(byte[] data, int offset, int length) {
		return length >= DONE.length && regionMatches(data, offset, DONE);
	}

	/**
	 * Decode an event with a fresh parser, for callers outside a stream.
	 * @param eventType the SSE event name, or {@code null}
	 * @param data the bytes
	 * @param length how many are valid
	 * @return the chunk
	 */
	ChatCompletionChunk decode(@Nullable String eventType, byte[] data, int length) {
		return decode(newParser(), eventType, data, 0, length);
	}

	/**
	 * Decode an event.
	 * @param parser the stream's parser
	 * @param eventType the SSE event name, or {@code null}
	 * @param data the bytes, masked in place
	 * @param offset where the event's data starts
	 * @param length how many are valid
	 * @return the chunk
	 * @throws StreamErrorException for an error event
	 * @throws MalformedResponseException when the JSON cannot be decoded
	 */
	ChatCompletionChunk decode(ChunkParser parser, @Nullable String eventType, byte[] data, int offset, int length) {
		maskAndRefuseErrorEvents(eventType, data, offset, length);
		return decodeMasked(parser, data, offset, length);
	}

	/**
	 * Check an event as {@link #decode} would read it, for a relay that passes the bytes on
	 * without its records; an event this does not accept must be read with
	 * {@link #decodeMasked}.
	 * @param parser the stream's parser
	 * @param eventType the SSE event name, or {@code null}
	 * @param data the bytes, masked in place
	 * @param offset where the event's data starts
	 * @param length how many are valid
	 * @param choices told each choice's index and finish
	 * @return the checker, describing the event, or {@code null} when {@link #decodeMasked} must read it
	 * @throws StreamErrorException for an error event
	 */
	@Nullable FastChunkParser check(ChunkParser parser, @Nullable String eventType, byte[] data, int offset, int length,
			FastChunkParser.ChoiceSink choices) {
		maskAndRefuseErrorEvents(eventType, data, offset, length);
		return parser.check(data, offset, length, choices);
	}

	/**
	 * Decode the bytes of an event that {@link #check} accepted, on any thread, with a parser of its
	 * own: the records of a relayed event, made when first asked for.
	 * @param checked the event's bytes, masked
	 * @return the chunk
	 */
	ChatCompletionChunk decodeChecked(byte[] checked) {
		return decodeMasked(newParser(), checked, 0, checked.length);
	}

	private void maskAndRefuseErrorEvents(@Nullable String eventType, byte[] data, int offset, int length) {
		// In place, before anything reads the event: its chunk, its raw JSON, an error's text.
		this.secrets.maskInPlace(data, offset, length);
		if ("error".equals(eventType)) {
			throw streamError(readTree(data, offset, length));
		}
	}

	/**
	 * Decode an event whose secrets are masked and that is not an error event.
	 * @param parser the stream's parser
	 * @param data the bytes
	 * @param offset where the event's data starts
	 * @param length how many are valid
	 * @return the chunk
	 * @throws StreamErrorException for an error payload
	 * @throws MalformedResponseException when the JSON cannot be decoded
	 */
	ChatCompletionChunk decodeMasked(ChunkParser parser, byte[] data, int offset, int length) {
		try {
			return parser.parse(data, offset, length);
		}
		catch (ChunkParser.ErrorPayload errorPayload) {
			throw streamError(readTree(data, offset, length));
		}
		catch (ChunkParser.NeedsDataBinding needsBinding) {
			try {
				return this.mapper.readValue(data, offset, length, ChatCompletionChunk.class);
			}
			catch (JacksonException ex) {
				throw malformed(data, offset, length, ex);
			}
		}
		catch (JacksonException ex) {
			throw malformed(data, offset, length, ex);
		}
	}

	private JsonNode readTree(byte[] data, int offset, int length) {
		try {
			return this.mapper.readTree(data, offset, length);
		}
		catch (JacksonException ex) {
			throw malformed(data, offset, length, ex);
		}
	}

	private StreamErrorException streamError(JsonNode tree) {
		ApiError error = ErrorBodies.masked(ErrorBodies.fromNode(tree), this.secrets);
		return new StreamErrorException(error.type(), error.code(), error.message());
	}

	static MalformedResponseException malformed(byte[] data, int offset, int length, Exception cause) {
		return new MalformedResponseException("The API sent a stream event that is not a valid chat.completion.chunk: "
				+ quote(data, offset, length) + " (" + cause.getMessage().lines().findFirst().orElse("") + ")", cause);
	}

	static String quote(byte[] data, int offset, int length) {
		String text = new String(data, offset, Math.min(length, QUOTE_LIMIT), StandardCharsets.UTF_8);
		return "'" + text + ((length > QUOTE_LIMIT) ? "...'" : "'");
	}

	private static boolean regionMatches(byte[] data, int offset, byte[] needle) {
		for (int i = 0; i < needle.length; i++) {
			if (data[offset + i] != needle[i]) {
				return false;
			}
		}
		return true;
	}

}
