package ai.dedaluslabs.client.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A stream event as received: its JSON exactly as the API sent it, for relaying without
 * re-encoding (a browser or an OpenAI-compatible front end sees the provider's own bytes), with
 * the decoded chunk beside it.
 *
 * <p>
 * The JSON is kept as the UTF-8 bytes that arrived. A relay writes them on as they are
 * ({@link #writeJson}, {@link #copyJson}); {@link #json()} decodes them to a {@code String} only
 * when asked, once. What a relay's bookkeeping reads of every event ({@link #model()},
 * {@link #usage()}, {@link #choiceCount()}) is known without the records; from
 * {@link ai.dedaluslabs.client.ChatCompletions#streamRaw(ChatCompletionRequest) streamRaw}, the
 * records of the common chunk are made from the bytes when {@link #chunk()} is first called (the
 * event was checked as strict JSON when it arrived), so a relay that never looks inside an event
 * never pays for them. Immutable and safe to share between threads.
 *
 * @since 0.1.0
 */
public final class RawChatCompletionChunk {

	private final byte[] utf8;

	/** The records; made on first use when {@link #decoder} is set. */
	private volatile @Nullable ChatCompletionChunk chunk;

	private final @Nullable Function<byte[], ChatCompletionChunk> decoder;

	private final String model;

	private final @Nullable Usage usage;

	private final int choiceCount;

	private volatile @Nullable String json;

	/**
	 * Create a raw chunk from its JSON text.
	 * @param json the event's data
	 * @param chunk the same event decoded
	 */
	public RawChatCompletionChunk(String json, ChatCompletionChunk chunk) {
		this(Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8), chunk);
		this.json = json;
	}

	private RawChatCompletionChunk(byte[] utf8, ChatCompletionChunk chunk) {
		this.utf8 = utf8;
		this.chunk = Objects.requireNonNull(chunk, "chunk");
		this.decoder = null;
		this.model = chunk.model();
		this.usage = chunk.usage();
		this.choiceCount = chunk.choices().size();
	}

	private RawChatCompletionChunk(byte[] utf8, @Nullable String model, int choiceCount,
			Function<byte[], ChatCompletionChunk> decoder) {
		this.utf8 = utf8;
		this.chunk = null;
		this.decoder = decoder;
		this.model = Objects.requireNonNullElse(model, "");
		this.usage = null;
		this.choiceCount = choiceCount;
	}

	/**
	 * Create a raw chunk from the event's bytes, which are copied.
	 * @param bytes the bytes holding the event's data, UTF-8
	 * @param offset where the data starts
	 * @param length how many bytes it has
	 * @param chunk the same event decoded
	 * @return the raw chunk
	 */
	public static RawChatCompletionChunk ofUtf8(byte[] bytes, int offset, int length, ChatCompletionChunk chunk) {
		Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
		return new RawChatCompletionChunk(Arrays.copyOfRange(bytes, offset, offset + length), chunk);
	}

	/**
	 * Create a raw chunk from the bytes of an event already checked to be a valid chunk without
	 * usage, whose records are made from the bytes when {@link #chunk()} is first called: for a
	 * decoder that relays most events without reading them. The bytes are copied.
	 * @param bytes the bytes holding the event's data, UTF-8
	 * @param offset where the data starts
	 * @param length how many bytes it has
	 * @param model the model the event names, or {@code null} (or empty) when it names none
	 * @param choiceCount how many choices it has
	 * @param decoder makes the chunk's records from the event's bytes (the whole array, this raw
	 * chunk's own copy, which it must not change); called on the thread that first asks, possibly
	 * more than once when threads race, and expected to succeed, since the event was checked
	 * @return the raw chunk
	 */
	public static RawChatCompletionChunk ofCheckedUtf8(byte[] bytes, int offset, int length, @Nullable String model,
			int choiceCount, Function<byte[], ChatCompletionChunk> decoder) {
		Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
		if (choiceCount < 0) {
			throw new IllegalArgumentException("choiceCount must not be negative, was " + choiceCount);
		}
		return new RawChatCompletionChunk(Arrays.copyOfRange(bytes, offset, offset + length), model, choiceCount,
				Objects.requireNonNull(decoder, "decoder"));
	}

	/**
	 * The event's data as text.
	 * @return the JSON exactly as received, decoded as UTF-8
	 */
	public String json() {
		String text = this.json;
		if (text == null) {
			text = new String(this.utf8, StandardCharsets.UTF_8);
			this.json = text;
		}
		return text;
	}

	/**
	 * The same event decoded.
	 * @return the chunk
	 */
	public ChatCompletionChunk chunk() {
		ChatCompletionChunk decoded = this.chunk;
		if (decoded == null) {
			// Only a checked event has no records yet, and then there is a decoder.
			decoded = Objects.requireNonNull(this.decoder.apply(this.utf8), "the decoder's chunk");
			this.chunk = decoded;
		}
		return decoded;
	}

	/**
	 * The model the event names, without decoding the rest of it.
	 * @return the same as {@code chunk().model()}: empty when the event names none
	 */
	public String model() {
		return this.model;
	}

	/**
	 * The usage the event reports, without decoding the rest of it.
	 * @return the same as {@code chunk().usage()}: {@code null} except in the usage chunk
	 */
	public @Nullable Usage usage() {
		return this.usage;
	}

	/**
	 * The number of choices in the event, without decoding them.
	 * @return the same as {@code chunk().choices().size()}: 0 in the final usage chunk
	 */
	public int choiceCount() {
		return this.choiceCount;
	}

	/**
	 * The length of the JSON in bytes.
	 * @return how many bytes {@link #copyJson} and {@link #writeJson} write
	 */
	public int jsonLength() {
		return this.utf8.length;
	}

	/**
	 * Copy the JSON's bytes, as received, into an array.
	 * @param target where to copy them
	 * @param offset where the first byte goes
	 * @return the offset after the last byte copied
	 */
	public int copyJson(byte[] target, int offset) {
		System.arraycopy(this.utf8, 0, target, offset, this.utf8.length);
		return offset + this.utf8.length;
	}

	/**
	 * Write the JSON's bytes, as received.
	 * @param out where to write them
	 * @throws IOException when the stream fails
	 */
	public void writeJson(OutputStream out) throws IOException {
		out.write(this.utf8);
	}

	/**
	 * The JSON's bytes, as received.
	 * @return a copy of them
	 */
	public byte[] jsonBytes() {
		return this.utf8.clone();
	}

	/**
	 * Equal when the JSON bytes and the decoded chunk are.
	 * @param other the object to compare with
	 * @return whether they are equal
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof RawChatCompletionChunk that && Arrays.equals(this.utf8, that.utf8)
				&& chunk().equals(that.chunk());
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.utf8) + chunk().hashCode();
	}

	@Override
	public String toString() {
		return "RawChatCompletionChunk[json=" + json() + ", chunk=" + chunk() + "]";
	}

}
