package ai.dedaluslabs.client.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A stream event as received: its JSON exactly as the API sent it, for relaying without
 * re-encoding (a browser or an OpenAI-compatible front end sees the provider's own bytes), with
 * the decoded chunk beside it.
 *
 * <p>
 * The JSON is kept as the UTF-8 bytes that arrived. A relay writes them on as they are
 * ({@link #writeJson}, {@link #copyJson}); {@link #json()} decodes them to a {@code String} only
 * when asked, once. Immutable and safe to share between threads.
 *
 * @since 0.1.0
 */
public final class RawChatCompletionChunk {

	private final byte[] utf8;

	private final ChatCompletionChunk chunk;

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
		return this.chunk;
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
				&& this.chunk.equals(that.chunk);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.utf8) + this.chunk.hashCode();
	}

	@Override
	public String toString() {
		return "RawChatCompletionChunk[json=" + json() + ", chunk=" + this.chunk + "]";
	}

}
