package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import org.jspecify.annotations.Nullable;

/**
 * Reads the common {@code chat.completion.chunk} straight from its bytes, in one pass, with no
 * tokenizer in between: the per-chunk hot path. It reads exactly what {@link ChunkParser} reads
 * (the same fields, the same records, a repeated id, model or role returned as the same string),
 * and it checks the whole event as strict JSON as it goes: every string (escapes, control
 * characters, UTF-8), every number, literal and nesting, and nothing after the object but
 * whitespace.
 *
 * <p>
 * It never decides that an event is wrong. Whatever it does not read the plain way (an event
 * that is not valid JSON, usage, log probabilities, an error payload, a value of an unexpected
 * type, a name with escapes, deep nesting) makes {@link #parse} return {@code null}, and
 * {@link ChunkParser} reads the event with Jackson, which decides and words any error. So an event
 * this class accepts is one Jackson accepts, read the same way. One instance per stream; not
 * thread-safe.
 *
 * <p>
 * {@link #check} walks the same grammar and accepts exactly the events {@link #parse} reads, but
 * builds no records and no text: what a relay that passes the bytes on needs, with the model and
 * each choice's index and finish for the stream's bookkeeping. The records are made from the same
 * bytes later, if anyone asks for them.
 */
final class FastChunkParser {

	private static final long ONES = LineEnds.ONES;

	private static final long HIGHS = LineEnds.HIGHS;

	private static final long QUOTES = ONES * '"';

	private static final long BACKSLASHES = ONES * '\\';

	private static final long SPACES = ONES * 0x20;

	/** Deeper values than this are left to Jackson and its limits. */
	private static final int MAX_DEPTH = 32;

	private static final byte[] ID = ascii("id");

	private static final byte[] OBJECT = ascii("object");

	private static final byte[] CREATED = ascii("created");

	private static final byte[] MODEL = ascii("model");

	private static final byte[] CHOICES = ascii("choices");

	private static final byte[] SYSTEM_FINGERPRINT = ascii("system_fingerprint");

	private static final byte[] SERVICE_TIER = ascii("service_tier");

	private static final byte[] INDEX = ascii("index");

	private static final byte[] DELTA = ascii("delta");

	private static final byte[] FINISH_REASON = ascii("finish_reason");

	private static final byte[] ROLE = ascii("role");

	private static final byte[] CONTENT = ascii("content");

	private static final byte[] REFUSAL = ascii("refusal");

	private static final byte[] TOOL_CALLS = ascii("tool_calls");

	private static final byte[] TYPE = ascii("type");

	private static final byte[] FUNCTION = ascii("function");

	private static final byte[] NAME = ascii("name");

	private static final byte[] ARGUMENTS = ascii("arguments");

	/** The names expected in each object, tried at the name's position before any scan. */
	private static final byte[][] TOP_NAMES = { ID, OBJECT, CREATED, MODEL, CHOICES };

	private static final byte[][] CHOICE_NAMES = { INDEX, DELTA, FINISH_REASON };

	private static final byte[][] DELTA_NAMES = { CONTENT, ROLE };

	private static final byte[][] TOOL_CALL_NAMES = { INDEX, ID, TYPE, FUNCTION };

	private static final byte[][] FUNCTION_NAMES = { NAME, ARGUMENTS };

	private static final byte[][] NO_NAMES = {};

	private static final byte[] TRUE = ascii("true");

	private static final byte[] FALSE = ascii("false");

	private static final byte[] NULL = ascii("null");

	// The values that are the same on every stream of an application (the object type, the model,
	// the role, the finish reasons) are remembered once for all streams: remembered per stream,
	// they cost every open stream a copy of each. The id is the stream's own.

	private static final CachedString OBJECTS = CachedString.shared();

	private static final CachedString MODELS = CachedString.shared();

	private static final CachedString FINGERPRINTS = CachedString.shared();

	private static final CachedString SERVICE_TIERS = CachedString.shared();

	private static final CachedString ROLES = CachedString.shared();

	private static final CachedString FINISH_REASONS = CachedString.shared();

	private static final CachedString TOOL_TYPES = CachedString.shared();

	private final CachedString id = new CachedString(1);

	/** Whether records and text are made ({@link #parse}) or only checked ({@link #check}). */
	private boolean building = true;

	/** What {@link #check} tells about each choice, as it reads it; null while parsing. */
	private @Nullable ChoiceSink sink;

	/** The model of the event {@link #check} accepted last, empty when it named none. */
	private String checkedModel = "";

	/** How many choices the event {@link #check} accepted last has. */
	private int checkedChoices;

	private byte[] data = new byte[0];

	private int pos;

	private int end;

	/** Where the name {@link #name(byte[][])} read last starts. */
	private int nameStart;

	/** Where a string with escapes or non-ASCII characters is decoded; grown when needed. */
	private char[] chars = new char[0];

	/**
	 * Read an event's data.
	 * @param bytes the bytes
	 * @param offset where the event's data starts
	 * @param length how many bytes it has
	 * @return the chunk, or {@code null} when Jackson must read this event
	 */
	@Nullable ChatCompletionChunk parse(byte[] bytes, int offset, int length) {
		start(bytes, offset, length);
		try {
			ChatCompletionChunk chunk = chunk();
			return atEnd() ? chunk : null;
		}
		catch (Fallback | ArrayIndexOutOfBoundsException ex) {
			return null;
		}
	}

	/**
	 * Check an event as {@link #parse} reads it, making nothing: it accepts exactly the events
	 * {@link #parse} reads, except a choice index outside 0 to 63, left to {@link #parse} so that
	 * the stream's bookkeeping needs no more than two longs.
	 * @param bytes the bytes
	 * @param offset where the event's data starts
	 * @param length how many bytes it has
	 * @param choices told each choice's index and whether it has a finish reason, as it is read;
	 * after a {@code false} it may have been told some of them
	 * @return whether the event is a common chunk, read through; then {@link #checkedModel()} and
	 * {@link #checkedChoices()} describe it
	 */
	boolean check(byte[] bytes, int offset, int length, ChoiceSink choices) {
		start(bytes, offset, length);
		this.building = false;
		this.sink = choices;
		this.checkedModel = "";
		this.checkedChoices = 0;
		try {
			chunk();
			return atEnd();
		}
		catch (Fallback | ArrayIndexOutOfBoundsException ex) {
			return false;
		}
		finally {
			this.building = true;
			this.sink = null;
		}
	}

	/**
	 * The model of the event {@link #check} accepted last, as its record has it.
	 * @return the model, empty when the event named none
	 */
	String checkedModel() {
		return this.checkedModel;
	}

	/**
	 * The number of choices of the event {@link #check} accepted last.
	 * @return how many choices it has
	 */
	int checkedChoices() {
		return this.checkedChoices;
	}

	private void start(byte[] bytes, int offset, int length) {
		this.data = bytes;
		this.pos = offset;
		this.end = offset + length;
	}

	/** Whether nothing but whitespace follows the object. */
	private boolean atEnd() {
		skipWhitespace();
		return this.pos == this.end;
	}

	private @Nullable ChatCompletionChunk chunk() {
		String chunkId = null;
		String chunkObject = null;
		long created = 0;
		String chunkModel = null;
		List<ChatCompletionChunk.Choice> choices = List.of();
		String systemFingerprint = null;
		String tier = null;
		skipWhitespace();
		if (startObject()) {
			do {
				int nameLength = name(TOP_NAMES);
				int nameStart = this.nameStart;
				if (isNull()) {
					continue;
				}
				if (is(ID, nameStart, nameLength)) {
					chunkId = string(this.id);
				}
				else if (is(OBJECT, nameStart, nameLength)) {
					chunkObject = string(OBJECTS);
				}
				else if (is(CREATED, nameStart, nameLength)) {
					created = integer(Long.MIN_VALUE, Long.MAX_VALUE);
				}
				else if (is(MODEL, nameStart, nameLength)) {
					chunkModel = string(MODELS);
				}
				else if (is(CHOICES, nameStart, nameLength)) {
					choices = choices();
				}
				else if (is(SYSTEM_FINGERPRINT, nameStart, nameLength)) {
					systemFingerprint = string(FINGERPRINTS);
				}
				else if (is(SERVICE_TIER, nameStart, nameLength)) {
					tier = string(SERVICE_TIERS);
				}
				else if (isSpecial(nameStart, nameLength)) {
					// usage, log probabilities and errors are read by Jackson
					throw Fallback.INSTANCE;
				}
				else {
					skipValue(1);
				}
			}
			while (nextMember());
		}
		if (!this.building) {
			// as the record has it: an event without a model has an empty one
			this.checkedModel = (chunkModel != null) ? chunkModel : "";
			return null;
		}
		return new ChatCompletionChunk(chunkId, chunkObject, created, chunkModel, choices, null, systemFingerprint,
				tier);
	}

	private boolean isSpecial(int nameStart, int nameLength) {
		return nameLength == 5 && (this.data[nameStart] == 'u' || this.data[nameStart] == 'e');
	}

	private List<ChatCompletionChunk.Choice> choices() {
		if (!this.building) {
			if (startArray()) {
				do {
					choice();
				}
				while (nextElement());
			}
			return List.of();
		}
		ChatCompletionChunk.Choice first = null;
		List<ChatCompletionChunk.Choice> more = null;
		if (startArray()) {
			do {
				ChatCompletionChunk.Choice choice = choice();
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
			while (nextElement());
		}
		if (more != null) {
			return more;
		}
		return (first != null) ? List.of(first) : List.of();
	}

	private ChatCompletionChunk.@Nullable Choice choice() {
		int index = 0;
		ChatCompletionChunk.Delta delta = null;
		String reason = null;
		if (startObject()) {
			do {
				int nameLength = name(CHOICE_NAMES);
				int nameStart = this.nameStart;
				if (isNull()) {
					continue;
				}
				if (is(INDEX, nameStart, nameLength)) {
					index = (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
				}
				else if (is(DELTA, nameStart, nameLength)) {
					delta = delta();
				}
				else if (is(FINISH_REASON, nameStart, nameLength)) {
					reason = string(FINISH_REASONS);
				}
				else if (nameLength == 8 && this.data[nameStart] == 'l') {
					// logprobs, read by Jackson's data binding
					throw Fallback.INSTANCE;
				}
				else {
					skipValue(2);
				}
			}
			while (nextMember());
		}
		if (!this.building) {
			if (index < 0 || index > 63) {
				throw Fallback.INSTANCE;
			}
			this.checkedChoices++;
			this.sink.choice(index, reason != null);
			return null;
		}
		return new ChatCompletionChunk.Choice(index, delta, reason, null);
	}

	private ChatCompletionChunk.@Nullable Delta delta() {
		String deltaRole = null;
		String content = null;
		String refusal = null;
		List<ChatCompletionChunk.ToolCallDelta> toolCalls = List.of();
		if (startObject()) {
			do {
				int nameLength = name(DELTA_NAMES);
				int nameStart = this.nameStart;
				if (isNull()) {
					continue;
				}
				if (is(CONTENT, nameStart, nameLength)) {
					content = text();
				}
				else if (is(ROLE, nameStart, nameLength)) {
					deltaRole = string(ROLES);
				}
				else if (is(REFUSAL, nameStart, nameLength)) {
					refusal = text();
				}
				else if (is(TOOL_CALLS, nameStart, nameLength)) {
					toolCalls = toolCalls();
				}
				else {
					skipValue(3);
				}
			}
			while (nextMember());
		}
		if (!this.building) {
			return null;
		}
		if (deltaRole == null && content == null && refusal == null && toolCalls.isEmpty()) {
			return ChatCompletionChunk.Delta.EMPTY;
		}
		return new ChatCompletionChunk.Delta(deltaRole, content, refusal, toolCalls);
	}

	private List<ChatCompletionChunk.ToolCallDelta> toolCalls() {
		List<ChatCompletionChunk.ToolCallDelta> calls = this.building ? new ArrayList<>(1) : null;
		if (startArray()) {
			do {
				ChatCompletionChunk.ToolCallDelta call = toolCall();
				if (calls != null) {
					calls.add(call);
				}
			}
			while (nextElement());
		}
		return (calls != null) ? calls : List.of();
	}

	private ChatCompletionChunk.@Nullable ToolCallDelta toolCall() {
		int index = 0;
		String callId = null;
		String type = null;
		String functionName = null;
		String arguments = null;
		if (startObject()) {
			do {
				int nameLength = name(TOOL_CALL_NAMES);
				int nameStart = this.nameStart;
				if (isNull()) {
					continue;
				}
				if (is(INDEX, nameStart, nameLength)) {
					index = (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
				}
				else if (is(ID, nameStart, nameLength)) {
					callId = text();
				}
				else if (is(TYPE, nameStart, nameLength)) {
					type = string(TOOL_TYPES);
				}
				else if (is(FUNCTION, nameStart, nameLength)) {
					if (startObject()) {
						do {
							int fieldLength = name(FUNCTION_NAMES);
							int fieldStart = this.nameStart;
							if (isNull()) {
								continue;
							}
							if (is(NAME, fieldStart, fieldLength)) {
								functionName = text();
							}
							else if (is(ARGUMENTS, fieldStart, fieldLength)) {
								arguments = text();
							}
							else {
								skipValue(6);
							}
						}
						while (nextMember());
					}
				}
				else {
					skipValue(5);
				}
			}
			while (nextMember());
		}
		if (!this.building) {
			return null;
		}
		ChatCompletionChunk.FunctionDelta function = (functionName == null && arguments == null)
				? ChatCompletionChunk.FunctionDelta.EMPTY : new ChatCompletionChunk.FunctionDelta(functionName, arguments);
		return new ChatCompletionChunk.ToolCallDelta(index, callId, type, function);
	}

	// Structure. Each reads from the current position, skipping whitespace before what it expects.

	/** Reads {@code {}; returns whether a member follows ({@code false} for an empty object). */
	private boolean startObject() {
		expect('{');
		skipWhitespace();
		if (at(this.pos) == '}') {
			this.pos++;
			return false;
		}
		return true;
	}

	/** Reads {@code [}; returns whether an element follows ({@code false} for an empty array). */
	private boolean startArray() {
		expect('[');
		skipWhitespace();
		if (at(this.pos) == ']') {
			this.pos++;
			return false;
		}
		return true;
	}

	/** After a member's value: {@code true} after a comma, {@code false} at the object's end. */
	private boolean nextMember() {
		return next('}');
	}

	/** After an element: {@code true} after a comma, {@code false} at the array's end. */
	private boolean nextElement() {
		return next(']');
	}

	private boolean next(char close) {
		skipWhitespace();
		byte b = at(this.pos++);
		if (b == ',') {
			return true;
		}
		if (b == close) {
			return false;
		}
		throw Fallback.INSTANCE;
	}

	/**
	 * Reads a member's name and its colon; leaves the position before the value. Names are plain
	 * ASCII in every chunk; any other name is left to Jackson.
	 * @param expected the names this object usually has: each is compared where the name starts
	 * (with its closing quote), so the usual name needs no scan for its end
	 * @return the name's length; it starts at {@link #nameStart}
	 */
	private int name(byte[][] expected) {
		skipWhitespace();
		byte[] bytes = this.data;
		if (at(this.pos) != '"') {
			throw Fallback.INSTANCE;
		}
		int start = ++this.pos;
		this.nameStart = start;
		int i = -1;
		for (byte[] name : expected) {
			int close = start + name.length;
			if (close < this.end && bytes[close] == '"' && is(name, start, name.length)) {
				i = close;
				break;
			}
		}
		if (i < 0) {
			i = stringStop(bytes, start, this.end);
			if (i >= this.end || bytes[i] != '"') {
				throw Fallback.INSTANCE;
			}
		}
		this.pos = i + 1;
		expect(':');
		skipWhitespace();
		return i - start;
	}

	/** Whether the value at the position is {@code null}, read if so. */
	private boolean isNull() {
		if (at(this.pos) == 'n') {
			literal(NULL);
			return true;
		}
		return false;
	}

	private void expect(char c) {
		skipWhitespace();
		if (at(this.pos) != c) {
			throw Fallback.INSTANCE;
		}
		this.pos++;
	}

	/**
	 * The byte at a position, or 0 at and after the event's end: the bytes after an event in its
	 * buffer belong to other events, and 0 is valid nowhere a byte is checked, so the end of the
	 * data is never read past and always ends the fast path.
	 */
	private byte at(int i) {
		return (i < this.end) ? this.data[i] : 0;
	}

	private void skipWhitespace() {
		byte[] bytes = this.data;
		int i = this.pos;
		int limit = this.end;
		while (i < limit) {
			byte b = bytes[i];
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				break;
			}
			i++;
		}
		this.pos = i;
	}

	private boolean is(byte[] name, int start, int length) {
		if (length != name.length) {
			return false;
		}
		byte[] bytes = this.data;
		for (int i = 0; i < length; i++) {
			if (bytes[start + i] != name[i]) {
				return false;
			}
		}
		return true;
	}

	// Values.

	/**
	 * Reads a string whose text changes from chunk to chunk (content, arguments); while checking,
	 * only checks it.
	 */
	private @Nullable String text() {
		if (this.building) {
			return string(null);
		}
		skipString();
		return null;
	}

	/**
	 * Checks and skips a string exactly as {@link #string} reads it, making nothing: eight plain
	 * bytes at a time between the escapes and UTF-8 sequences, which are checked where they are.
	 */
	private void skipString() {
		if (at(this.pos) != '"') {
			throw Fallback.INSTANCE;
		}
		byte[] bytes = this.data;
		int i = this.pos + 1;
		while (true) {
			i = stringStop(bytes, i, this.end);
			int b = at(i);
			if (b == '"') {
				this.pos = i + 1;
				return;
			}
			if (b == '\\') {
				byte escape = at(i + 1);
				if (escape == 'u') {
					hex(at(i + 2));
					hex(at(i + 3));
					hex(at(i + 4));
					hex(at(i + 5));
					i += 6;
				}
				else {
					escaped(escape);
					i += 2;
				}
			}
			else if (b >= 0) {
				// a raw control character, or the end of the event inside the string: not JSON
				throw Fallback.INSTANCE;
			}
			else {
				if (this.chars.length < 2) {
					this.chars = new char[64];
				}
				i = utf8(i + 1, b & 0xFF, this.chars, 0);
			}
		}
	}

	/**
	 * Reads a string value; a value of another type is left to Jackson, which converts it.
	 * @param cache the field's previous value, returned again when the bytes are the same, or
	 * {@code null} for text that changes on every chunk
	 */
	private String string(@Nullable CachedString cache) {
		byte[] bytes = this.data;
		if (at(this.pos) != '"') {
			throw Fallback.INSTANCE;
		}
		int start = this.pos + 1;
		if (cache != null) {
			// The usual case: the same value as on the previous chunk, a checked string, then its quote.
			CachedString.Entry same = cache.same(bytes, start, this.end);
			if (same != null) {
				this.pos = start + same.raw().length + 1;
				return same.text();
			}
		}
		int i = stringStop(bytes, start, this.end);
		if (i >= this.end) {
			throw Fallback.INSTANCE;
		}
		if (bytes[i] != '"') {
			// an escape, a control character (refused by JSON) or a UTF-8 sequence
			return decodedString(cache, start);
		}
		this.pos = i + 1;
		int length = i - start;
		if (cache != null) {
			return cache.text(bytes, start, length);
		}
		// Only ASCII bytes here, so each byte is its character.
		return new String(bytes, start, length, StandardCharsets.ISO_8859_1);
	}

	private String decodedString(@Nullable CachedString cache, int start) {
		char[] out = this.chars;
		int length = 0;
		int i = start;
		while (true) {
			if (length + 2 > out.length) {
				out = Arrays.copyOf(out, Math.max(64, out.length * 2));
				this.chars = out;
			}
			int b = at(i++);
			if (b == '"') {
				break;
			}
			if (b == '\\') {
				byte escape = at(i++);
				if (escape == 'u') {
					out[length++] = (char) ((hex(at(i)) << 12) | (hex(at(i + 1)) << 8) | (hex(at(i + 2)) << 4)
							| hex(at(i + 3)));
					i += 4;
				}
				else {
					out[length++] = escaped(escape);
				}
			}
			else if (b >= 0x20) {
				out[length++] = (char) b;
			}
			else if (b >= 0) {
				// a raw control character, or the end of the event inside the string: not JSON
				throw Fallback.INSTANCE;
			}
			else {
				i = utf8(i, b & 0xFF, out, length);
				length += (out[length] >= Character.MIN_HIGH_SURROGATE && out[length] <= Character.MAX_HIGH_SURROGATE) ? 2
						: 1;
			}
		}
		this.pos = i;
		String text = new String(out, 0, length);
		if (cache != null) {
			cache.remember(this.data, start, i - 1 - start, text);
		}
		return text;
	}

	/**
	 * Decodes one UTF-8 sequence whose first byte was read into one or two chars; only
	 * well-formed, shortest-form sequences of a scalar value are read here.
	 * @return the position after the sequence
	 */
	private int utf8(int i, int first, char[] out, int at) {
		int codePoint;
		if (first >= 0xC2 && first <= 0xDF) {
			codePoint = ((first & 0x1F) << 6) | continuation(at(i), 0x80, 0xBF);
			i += 1;
		}
		else if (first >= 0xE0 && first <= 0xEF) {
			int low = (first == 0xE0) ? 0xA0 : 0x80;
			int high = (first == 0xED) ? 0x9F : 0xBF;
			codePoint = ((first & 0x0F) << 12) | (continuation(at(i), low, high) << 6)
					| continuation(at(i + 1), 0x80, 0xBF);
			i += 2;
		}
		else if (first >= 0xF0 && first <= 0xF4) {
			int low = (first == 0xF0) ? 0x90 : 0x80;
			int high = (first == 0xF4) ? 0x8F : 0xBF;
			codePoint = ((first & 0x07) << 18) | (continuation(at(i), low, high) << 12)
					| (continuation(at(i + 1), 0x80, 0xBF) << 6) | continuation(at(i + 2), 0x80, 0xBF);
			i += 3;
		}
		else {
			throw Fallback.INSTANCE;
		}
		if (codePoint >= 0x10000) {
			out[at] = Character.highSurrogate(codePoint);
			out[at + 1] = Character.lowSurrogate(codePoint);
		}
		else {
			// never a surrogate: the ranges above exclude them, so one char is one char
			out[at] = (char) codePoint;
		}
		return i;
	}

	private static int continuation(byte b, int low, int high) {
		int value = b & 0xFF;
		if (value < low || value > high) {
			throw Fallback.INSTANCE;
		}
		return value & 0x3F;
	}

	private static char escaped(byte b) {
		return switch (b) {
			case '"' -> '"';
			case '\\' -> '\\';
			case '/' -> '/';
			case 'b' -> '\b';
			case 'f' -> '\f';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			default -> throw Fallback.INSTANCE;
		};
	}

	private static int hex(byte b) {
		if (b >= '0' && b <= '9') {
			return b - '0';
		}
		if (b >= 'a' && b <= 'f') {
			return b - 'a' + 10;
		}
		if (b >= 'A' && b <= 'F') {
			return b - 'A' + 10;
		}
		throw Fallback.INSTANCE;
	}

	/**
	 * Reads an integer within bounds; a fraction, an exponent, another type or a value out of
	 * bounds is left to Jackson, which converts it as data binding does.
	 */
	private long integer(long min, long max) {
		int i = this.pos;
		boolean negative = at(i) == '-';
		if (negative) {
			i++;
		}
		int digitsStart = i;
		long value = 0;
		for (byte b = at(i); b >= '0' && b <= '9'; b = at(++i)) {
			if (i - digitsStart >= 18) {
				throw Fallback.INSTANCE;
			}
			value = value * 10 + (b - '0');
		}
		int digits = i - digitsStart;
		if (digits == 0 || (digits > 1 && at(digitsStart) == '0')) {
			throw Fallback.INSTANCE;
		}
		byte after = at(i);
		if (after == '.' || after == 'e' || after == 'E') {
			throw Fallback.INSTANCE;
		}
		value = negative ? -value : value;
		if (value < min || value > max) {
			throw Fallback.INSTANCE;
		}
		this.pos = i;
		return value;
	}

	/** Checks and skips any JSON value. */
	private void skipValue(int depth) {
		if (depth > MAX_DEPTH) {
			throw Fallback.INSTANCE;
		}
		byte b = at(this.pos);
		switch (b) {
			case '"' -> skipString();
			case '{' -> {
				if (startObject()) {
					do {
						name(NO_NAMES);
						skipValue(depth + 1);
					}
					while (nextMember());
				}
			}
			case '[' -> {
				if (startArray()) {
					do {
						skipWhitespace();
						skipValue(depth + 1);
					}
					while (nextElement());
				}
			}
			case 't' -> literal(TRUE);
			case 'f' -> literal(FALSE);
			case 'n' -> literal(NULL);
			default -> number();
		}
	}

	private void literal(byte[] word) {
		if (this.pos + word.length > this.end || !is(word, this.pos, word.length)) {
			throw Fallback.INSTANCE;
		}
		this.pos += word.length;
	}

	/** Checks and skips a number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
	private void number() {
		int i = this.pos;
		if (at(i) == '-') {
			i++;
		}
		if (at(i) == '0') {
			i++;
		}
		else {
			i = digits(i);
		}
		if (at(i) == '.') {
			i = digits(i + 1);
		}
		if (at(i) == 'e' || at(i) == 'E') {
			i++;
			if (at(i) == '+' || at(i) == '-') {
				i++;
			}
			i = digits(i);
		}
		this.pos = i;
	}

	/** At least one digit; returns the position after the last. */
	private int digits(int start) {
		int i = start;
		while (at(i) >= '0' && at(i) <= '9') {
			i++;
		}
		if (i == start) {
			throw Fallback.INSTANCE;
		}
		return i;
	}

	/**
	 * The position of the first byte in a string that is not plain printable ASCII: a quote, a
	 * backslash, a control character or a byte of a UTF-8 sequence; {@code end} when there is none.
	 * Eight bytes at a time, with the bit tricks of {@link LineEnds}: the lowest flagged byte of
	 * each test is exact, so the lowest of all of them is too.
	 */
	static int stringStop(byte[] bytes, int from, int end) {
		int i = from;
		while (i + 8 <= end) {
			long word = (long) LineEnds.LONGS.get(bytes, i);
			long found = LineEnds.zeroBytes(word ^ QUOTES) | LineEnds.zeroBytes(word ^ BACKSLASHES) | ((word - SPACES) & ~word & HIGHS)
					| (word & HIGHS);
			if (found != 0) {
				return i + (Long.numberOfTrailingZeros(found) >>> 3);
			}
			i += 8;
		}
		while (i < end) {
			byte b = bytes[i];
			if (b < 0x20 || b == '"' || b == '\\') {
				return i;
			}
			i++;
		}
		return end;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The recent values of a field whose value repeats from chunk to chunk (id, model, role):
	 * returned again, without allocating, when the raw bytes are the same. A shared one serves every
	 * stream on every thread: its entries are immutable, so a racy read sees a whole entry (or
	 * none), and a lost update costs only a string made again.
	 */
	private static final class CachedString {

		/** Enough for the values an application sees at once (a few models, every finish reason). */
		private static final int SHARED_ENTRIES = 8;

		private final @Nullable Entry[] entries;

		private int next;

		CachedString(int entries) {
			this.entries = new Entry[entries];
		}

		static CachedString shared() {
			return new CachedString(SHARED_ENTRIES);
		}

		/** The value whose raw bytes are at {@code start}, followed by a closing quote. */
		@Nullable Entry same(byte[] bytes, int start, int end) {
			for (Entry entry : this.entries) {
				if (entry == null) {
					return null;
				}
				byte[] raw = entry.raw();
				int close = start + raw.length;
				if (close < end && bytes[close] == '"' && Arrays.equals(raw, 0, raw.length, bytes, start, close)) {
					return entry;
				}
			}
			return null;
		}

		String text(byte[] bytes, int start, int length) {
			for (Entry entry : this.entries) {
				if (entry == null) {
					break;
				}
				if (Arrays.equals(entry.raw(), 0, entry.raw().length, bytes, start, start + length)) {
					return entry.text();
				}
			}
			String text = new String(bytes, start, length, StandardCharsets.ISO_8859_1);
			remember(bytes, start, length, text);
			return text;
		}

		void remember(byte[] bytes, int start, int length, String text) {
			int slot = this.next;
			this.entries[slot] = new Entry(Arrays.copyOfRange(bytes, start, start + length), text);
			this.next = (slot + 1 == this.entries.length) ? 0 : slot + 1;
		}

		/** A value and its raw bytes (escapes included, when it had any). */
		record Entry(byte[] raw, String text) {
		}

	}

	/** What {@link #check} tells about each choice it reads. */
	@FunctionalInterface
	interface ChoiceSink {

		/**
		 * A choice was read.
		 * @param index its index, 0 to 63
		 * @param finished whether it has a finish reason
		 */
		void choice(int index, boolean finished);

	}

	/** Leaves the event to Jackson; thrown without a stack trace, as control flow. */
	private static final class Fallback extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final Fallback INSTANCE = new Fallback();

		private Fallback() {
			super(null, null, false, false);
		}

	}

}
