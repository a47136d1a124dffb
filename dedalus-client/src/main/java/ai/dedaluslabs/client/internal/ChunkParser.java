package ai.dedaluslabs.client.internal;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@code chat.completion.chunk}: the common chunk with {@link FastChunkParser}, and
 * whatever that leaves (usage, log probabilities, errors, anything unusual or invalid) with
 * Jackson's streaming parser straight into the records,
 * instead of data binding, because this is the per-chunk hot path: no creator buffers, no
 * intermediate lists, and the strings that repeat on every chunk of a stream (id, model, object,
 * fingerprint, role, finish reason) are taken from the previous chunk when their characters are
 * equal, so only the new text is allocated. Unknown fields are skipped. The rare chunk that
 * carries usage or log probabilities is left to data binding. One instance per stream.
 *
 * <p>
 * An event must hold exactly one complete JSON object and nothing after it but whitespace: an
 * object cut short ({@code {"id":"x",}) or followed by more text fails here, on its own event,
 * and never as a chunk with missing fields.
 */
final class ChunkParser {

	/** Where {@link JsonParser#releaseBuffered} writes the unread rest of an event; only its count is used. */
	private static final OutputStream DISCARD = OutputStream.nullOutputStream();

	private final TokenStreamFactory factory;

	/** Created on first use: with the fast path, most streams never need it. */
	private @Nullable JsonParser parser;

	/** Created on first use: a stream the fast path reads whole never needs them. */
	private @Nullable StringCaches caches;

	/** Reads the common chunk first; null in tests that compare this class's own reading with it. */
	private final @Nullable FastChunkParser fast;

	ChunkParser(JsonMapper mapper) {
		this(mapper, true);
	}

	/**
	 * Create a parser.
	 * @param mapper the wire mapper
	 * @param fastPath whether the common chunk is read by {@link FastChunkParser} first
	 */
	ChunkParser(JsonMapper mapper, boolean fastPath) {
		this.factory = mapper.tokenStreamFactory();
		this.fast = fastPath ? new FastChunkParser() : null;
	}

	/**
	 * One non-blocking parser serves the whole stream: each event's bytes are fed to it and one
	 * root object is read, so no parser is built per chunk. After an event that is not read to its
	 * end (usage, an error, a malformed payload) the parser is replaced.
	 */
	private JsonParser newParser() {
		return this.factory.createNonBlockingByteArrayParser(ObjectReadContext.empty());
	}

	/**
	 * Check the common chunk without making its records ({@link FastChunkParser#check}).
	 * @param data the bytes
	 * @param offset where the event's data starts
	 * @param length how many bytes it has
	 * @param choices told each choice's index and finish
	 * @return the checker, describing the event, or {@code null} when {@link #parse} must read it
	 */
	@Nullable FastChunkParser check(byte[] data, int offset, int length, FastChunkParser.ChoiceSink choices) {
		FastChunkParser fastPath = this.fast;
		return (fastPath != null && fastPath.check(data, offset, length, choices)) ? fastPath : null;
	}

	ChatCompletionChunk parse(byte[] data, int offset, int length) {
		FastChunkParser fastPath = this.fast;
		if (fastPath != null) {
			ChatCompletionChunk chunk = fastPath.parse(data, offset, length);
			if (chunk != null) {
				return chunk;
			}
		}
		// Without data-binding context; the rare fields that need binding (usage, logprobs) hand the
		// whole chunk to data binding instead.
		JsonParser parser = this.parser;
		if (parser == null) {
			parser = newParser();
			this.parser = parser;
		}
		ByteArrayFeeder feeder = (ByteArrayFeeder) parser;
		boolean complete = false;
		try {
			while (!feeder.needMoreInput()) {
				// only whitespace may remain of the previous event
				expect(parser, parser.nextToken(), JsonToken.NOT_AVAILABLE);
			}
			feeder.feedInput(data, offset, offset + length);
			expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
			String chunkId = null;
			String chunkObject = null;
			long created = 0;
			String chunkModel = null;
			List<ChatCompletionChunk.Choice> choices = List.of();
			String systemFingerprint = null;
			String tier = null;
			for (String name = parser.nextName(); name != null; name = parser.nextName()) {
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_NULL) {
					continue;
				}
				switch (name) {
					case "id" -> chunkId = caches().id.text(parser);
					case "object" -> chunkObject = caches().object.text(parser);
					case "created" -> created = parser.getValueAsLong();
					case "model" -> chunkModel = caches().model.text(parser);
					case "choices" -> choices = choices(parser);
					case "usage" -> throw new NeedsDataBinding();
					case "system_fingerprint" -> systemFingerprint = caches().fingerprint.text(parser);
					case "service_tier" -> tier = caches().serviceTier.text(parser);
					case "error" -> throw new ErrorPayload();
					default -> parser.skipChildren();
				}
			}
			endOfObject(parser);
			onlyWhitespaceAfter(parser, data, offset + length);
			ChatCompletionChunk chunk = new ChatCompletionChunk(chunkId, chunkObject, created, chunkModel, choices, null,
					systemFingerprint, tier);
			complete = true;
			return chunk;
		}
		finally {
			if (!complete) {
				parser.close();
				this.parser = newParser();
			}
		}
	}

	private List<ChatCompletionChunk.Choice> choices(JsonParser parser) {
		expect(parser, parser.currentToken(), JsonToken.START_ARRAY);
		ChatCompletionChunk.Choice first = null;
		List<ChatCompletionChunk.Choice> more = null;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			ChatCompletionChunk.Choice choice = choice(parser);
			if (first == null) {
				first = choice;
			}
			else {
				if (more == null) {
					more = new ArrayList<>(4);
					more.add(first);
				}
				more.add(choice);
			}
		}
		if (more != null) {
			return more;
		}
		return (first != null) ? List.of(first) : List.of();
	}

	private ChatCompletionChunk.Choice choice(JsonParser parser) {
		expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
		int index = 0;
		ChatCompletionChunk.Delta delta = null;
		String reason = null;
		for (String name = parser.nextName(); name != null; name = parser.nextName()) {
			JsonToken value = parser.nextToken();
			if (value == JsonToken.VALUE_NULL) {
				continue;
			}
			switch (name) {
				case "index" -> index = parser.getValueAsInt();
				case "delta" -> delta = delta(parser);
				case "finish_reason" -> reason = caches().finishReason.text(parser);
				case "logprobs" -> throw new NeedsDataBinding();
				default -> parser.skipChildren();
			}
		}
		endOfObject(parser);
		return new ChatCompletionChunk.Choice(index, delta, reason, null);
	}

	private ChatCompletionChunk.Delta delta(JsonParser parser) {
		expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
		String deltaRole = null;
		String content = null;
		String refusal = null;
		List<ChatCompletionChunk.ToolCallDelta> toolCalls = List.of();
		for (String name = parser.nextName(); name != null; name = parser.nextName()) {
			JsonToken value = parser.nextToken();
			if (value == JsonToken.VALUE_NULL) {
				continue;
			}
			switch (name) {
				case "role" -> deltaRole = caches().role.text(parser);
				case "content" -> content = text(parser);
				case "refusal" -> refusal = text(parser);
				case "tool_calls" -> toolCalls = toolCalls(parser);
				default -> parser.skipChildren();
			}
		}
		endOfObject(parser);
		if (deltaRole == null && content == null && refusal == null && toolCalls.isEmpty()) {
			return ChatCompletionChunk.Delta.EMPTY;
		}
		return new ChatCompletionChunk.Delta(deltaRole, content, refusal, toolCalls);
	}

	private List<ChatCompletionChunk.ToolCallDelta> toolCalls(JsonParser parser) {
		expect(parser, parser.currentToken(), JsonToken.START_ARRAY);
		List<ChatCompletionChunk.ToolCallDelta> calls = new ArrayList<>(1);
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			expect(parser, parser.currentToken(), JsonToken.START_OBJECT);
			int index = 0;
			String callId = null;
			String type = null;
			String functionName = null;
			String arguments = null;
			for (String name = parser.nextName(); name != null; name = parser.nextName()) {
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_NULL) {
					continue;
				}
				switch (name) {
					case "index" -> index = parser.getValueAsInt();
					case "id" -> callId = text(parser);
					case "type" -> type = caches().toolType.text(parser);
					case "function" -> {
						expect(parser, value, JsonToken.START_OBJECT);
						for (String field = parser.nextName(); field != null; field = parser.nextName()) {
							JsonToken fieldValue = parser.nextToken();
							if (fieldValue == JsonToken.VALUE_NULL) {
								continue;
							}
							switch (field) {
								case "name" -> functionName = text(parser);
								case "arguments" -> arguments = text(parser);
								default -> parser.skipChildren();
							}
						}
						endOfObject(parser);
					}
					default -> parser.skipChildren();
				}
			}
			endOfObject(parser);
			ChatCompletionChunk.FunctionDelta function = (functionName == null && arguments == null)
					? ChatCompletionChunk.FunctionDelta.EMPTY
					: new ChatCompletionChunk.FunctionDelta(functionName, arguments);
			calls.add(new ChatCompletionChunk.ToolCallDelta(index, callId, type, function));
		}
		return calls;
	}

	private static @Nullable String text(JsonParser parser) {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		if (token.isScalarValue()) {
			return parser.getValueAsString();
		}
		parser.skipChildren();
		return null;
	}

	/**
	 * Thrown for the rare chunk with usage or log probabilities, which data binding reads.
	 */
	static final class NeedsDataBinding extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NeedsDataBinding() {
			super(null, null, false, false);
		}

	}

	/**
	 * Thrown when a payload turns out to carry a top-level {@code error}: found while parsing, so no
	 * separate scan of every payload is needed; the caller then reads the error as a tree.
	 */
	static final class ErrorPayload extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ErrorPayload() {
			super(null, null, false, false);
		}

	}

	/**
	 * A non-blocking parser ends a field loop with no more input as well as with the object's end:
	 * only the latter is a complete object.
	 */
	private static void endOfObject(JsonParser parser) {
		if (parser.currentToken() != JsonToken.END_OBJECT) {
			throw new tools.jackson.core.exc.StreamReadException(parser, "the JSON object is incomplete");
		}
	}

	private static void onlyWhitespaceAfter(JsonParser parser, byte[] data, int end) {
		int rest = parser.releaseBuffered(DISCARD);
		for (int i = end - rest; i < end; i++) {
			byte b = data[i];
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				throw new tools.jackson.core.exc.StreamReadException(parser,
						"text follows the JSON object; an event must hold exactly one JSON value");
			}
		}
	}

	private static void expect(JsonParser parser, @Nullable JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new tools.jackson.core.exc.StreamReadException(parser,
					"expected " + expected + " but found " + actual);
		}
	}

	private StringCaches caches() {
		StringCaches current = this.caches;
		if (current == null) {
			current = new StringCaches();
			this.caches = current;
		}
		return current;
	}

	/** The fields whose values repeat from chunk to chunk. */
	private static final class StringCaches {

		final StringCache id = new StringCache();

		final StringCache object = new StringCache();

		final StringCache model = new StringCache();

		final StringCache fingerprint = new StringCache();

		final StringCache serviceTier = new StringCache();

		final StringCache role = new StringCache();

		final StringCache finishReason = new StringCache();

		final StringCache toolType = new StringCache();

	}

	/**
	 * The last string read for one field: returned again, without allocating, when the next value
	 * has the same characters.
	 */
	private static final class StringCache {

		private @Nullable String last;

		@Nullable String text(JsonParser parser) {
			if (parser.currentToken() != JsonToken.VALUE_STRING) {
				return ChunkParser.text(parser);
			}
			String cached = this.last;
			if (cached != null) {
				char[] chars = parser.getStringCharacters();
				int offset = parser.getStringOffset();
				int length = parser.getStringLength();
				if (length == cached.length() && regionMatches(cached, chars, offset, length)) {
					return cached;
				}
			}
			String text = parser.getString();
			this.last = text;
			return text;
		}

		private static boolean regionMatches(String cached, char[] chars, int offset, int length) {
			for (int i = 0; i < length; i++) {
				if (cached.charAt(i) != chars[offset + i]) {
					return false;
				}
			}
			return true;
		}

	}

}
