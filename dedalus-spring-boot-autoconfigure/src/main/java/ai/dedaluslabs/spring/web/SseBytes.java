package ai.dedaluslabs.spring.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of a frame on the wire, as both web stacks write them when they write bytes: every
 * data line after {@code "data: "} (the space, which SSE readers remove, keeps a leading space of
 * the text itself), and a {@link SseFrame.Raw} frame copied from the bytes the API sent, once, into
 * the array that is written.
 *
 * @since 0.1.0
 */
public final class SseBytes {

	private static final byte[] DATA = ascii("data: ");

	private static final byte[] DONE = ascii("data: [DONE]\n\n");

	private static final byte[] NAMED_DONE = ascii("event: done\ndata: [DONE]\n\n");

	private static final byte[] ERROR = ascii("event: error\ndata: ");

	private static final byte[] HEARTBEAT = ascii(": keepalive\n\n");

	/**
	 * Where a raw chunk writes its bytes into a buffer: one per thread, pointed at the buffer for the
	 * one write, rather than an output stream object per frame.
	 */
	private static final ThreadLocal<BufferSink> SINKS = ThreadLocal.withInitial(BufferSink::new);

	private SseBytes() {
	}

	/**
	 * The bytes of a frame. The array may be shared between calls (the end, the heartbeat), so it
	 * must not be changed.
	 * @param frame the frame
	 * @return the event's bytes, ending with its blank line
	 */
	public static byte[] of(SseFrame frame) {
		if (frame instanceof SseFrame.Raw raw) {
			int length = raw.chunk().jsonLength();
			byte[] bytes = new byte[DATA.length + length + 2];
			System.arraycopy(DATA, 0, bytes, 0, DATA.length);
			int end = raw.chunk().copyJson(bytes, DATA.length);
			bytes[end] = '\n';
			bytes[end + 1] = '\n';
			return bytes;
		}
		if (frame instanceof SseFrame.Data data) {
			StringBuilder text = new StringBuilder(64);
			for (String line : data.lines()) {
				text.append("data: ").append(line).append('\n');
			}
			return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
		}
		if (frame instanceof SseFrame.Done done) {
			return done.named() ? NAMED_DONE : DONE;
		}
		if (frame instanceof SseFrame.Error error) {
			return withPrefix(ERROR, error.json());
		}
		if (frame instanceof SseFrame.Identified identified) {
			byte[] id = ("id: " + identified.id() + "\n").getBytes(StandardCharsets.UTF_8);
			byte[] event = of(identified.frame());
			byte[] bytes = new byte[id.length + event.length];
			System.arraycopy(id, 0, bytes, 0, id.length);
			System.arraycopy(event, 0, bytes, id.length, event.length);
			return bytes;
		}
		return HEARTBEAT;
	}

	/**
	 * The bytes of a frame in a buffer of {@code allocator}'s, which the caller must release (a web
	 * server releases what it writes). A {@link SseFrame.Raw} frame is copied from the API's bytes
	 * straight into it, with no array in between.
	 * @param frame the frame
	 * @param allocator where the buffer comes from
	 * @return the event's bytes, ending with its blank line
	 */
	public static ByteBuf of(SseFrame frame, ByteBufAllocator allocator) {
		if (frame instanceof SseFrame.Raw raw) {
			RawChatCompletionChunk chunk = raw.chunk();
			ByteBuf buffer = allocator.directBuffer(DATA.length + chunk.jsonLength() + 2);
			try {
				buffer.writeBytes(DATA);
				SINKS.get().write(chunk, buffer);
				return buffer.writeByte('\n').writeByte('\n');
			}
			catch (IOException | RuntimeException ex) {
				buffer.release();
				throw new IllegalStateException("Could not write an event into a network buffer: " + ex, ex);
			}
		}
		byte[] bytes = of(frame);
		return allocator.directBuffer(bytes.length).writeBytes(bytes);
	}

	private static byte[] withPrefix(byte[] prefix, String line) {
		byte[] text = line.getBytes(StandardCharsets.UTF_8);
		byte[] bytes = new byte[prefix.length + text.length + 2];
		System.arraycopy(prefix, 0, bytes, 0, prefix.length);
		System.arraycopy(text, 0, bytes, prefix.length, text.length);
		bytes[bytes.length - 2] = '\n';
		bytes[bytes.length - 1] = '\n';
		return bytes;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Writes into the buffer it is given for one chunk's bytes, and keeps no buffer after. */
	private static final class BufferSink extends OutputStream {

		private @Nullable ByteBuf target;

		void write(RawChatCompletionChunk chunk, ByteBuf buffer) throws IOException {
			this.target = buffer;
			try {
				chunk.writeJson(this);
			}
			finally {
				this.target = null;
			}
		}

		@Override
		public void write(int b) {
			target().writeByte(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			target().writeBytes(bytes, offset, length);
		}

		private ByteBuf target() {
			ByteBuf buffer = this.target;
			if (buffer == null) {
				throw new IllegalStateException("Written outside a frame");
			}
			return buffer;
		}

	}

}
