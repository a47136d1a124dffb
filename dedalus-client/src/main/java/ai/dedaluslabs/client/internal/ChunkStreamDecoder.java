package ai.dedaluslabs.client.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.SynchronousSink;

/**
 * The state of one decoded stream: bytes in, chunks out. It knows when {@code [DONE]} arrived,
 * which choices have finished, and whether the input ended in the middle of an event, which
 * decides how a stream that ends without {@code [DONE]} is judged.
 *
 * <p>
 * {@link #feed} never throws for a bad event: it returns the chunks decoded before it followed by
 * a {@link Failure}, and {@link #emit} turns that into an error signal, so a subscriber always
 * receives every chunk that preceded an error. Not thread-safe: one instance per subscription.
 *
 * @param <T> what each event becomes
 */
public final class ChunkStreamDecoder<T> implements SseEventAssembler.EventHandler {

	/** Maps a decoded event to the stream's element type. */
	@FunctionalInterface
	public interface EventMapper<T> {

		/**
		 * Map an event.
		 * @param data the event's data bytes; reused after the call
		 * @param length how many are valid
		 * @param chunk the decoded chunk
		 * @return the element to emit
		 */
		T map(byte[] data, int length, ChatCompletionChunk chunk);

	}

	/** An error to signal after the elements before it. */
	private record Failure(DedalusException exception) {
	}

	private static final int SCRATCH_SIZE = 16 * 1024;

	private final ChunkDecoder decoder;

	private final ChunkParser parser;

	private final EventMapper<T> mapper;

	private final SseLineReader lines;

	private final SseEventAssembler events;

	private final BitSet seenChoices = new BitSet();

	private final BitSet finishedChoices = new BitSet();

	private byte @Nullable [] scratch;

	private @Nullable List<Object> out;

	private boolean done;

	private boolean failed;

	/**
	 * Create the state for one stream.
	 * @param decoder the event decoder
	 * @param mapper what each event becomes
	 * @param maxEventSize the largest event accepted, in bytes
	 */
	public ChunkStreamDecoder(ChunkDecoder decoder, EventMapper<T> mapper, int maxEventSize) {
		this.decoder = decoder;
		this.parser = decoder.newParser();
		this.mapper = mapper;
		this.events = new SseEventAssembler(this, maxEventSize);
		this.lines = new SseLineReader(this.events, maxEventSize);
	}

	/**
	 * Decode the next piece of the body. The buffer is released.
	 * @param buffer the bytes
	 * @return the elements it completed, possibly followed by one failure
	 */
	public List<Object> feed(DataBuffer buffer) {
		try {
			if (this.done || this.failed) {
				return List.of();
			}
			try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
				while (iterator.hasNext() && !this.done) {
					feed(iterator.next());
				}
			}
			catch (DedalusException ex) {
				fail(ex);
			}
			return drain();
		}
		finally {
			org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
		}
	}

	/**
	 * Decode bytes from an array, for tests and benchmarks.
	 * @param bytes the bytes
	 * @param offset the start
	 * @param length how many
	 * @return the elements it completed, possibly followed by one failure
	 */
	public List<Object> feed(byte[] bytes, int offset, int length) {
		if (!this.done && !this.failed) {
			try {
				this.lines.feed(bytes, offset, offset + length);
			}
			catch (DedalusException ex) {
				fail(ex);
			}
		}
		return drain();
	}

	/**
	 * Judge the end of the body: complete after {@code [DONE]} or when every choice finished,
	 * otherwise fail with {@link ApiConnectionException}.
	 * @return the last elements, possibly followed by one failure
	 */
	public List<Object> finish() {
		if (this.done || this.failed) {
			return List.of();
		}
		try {
			if (this.lines.hasPartialLine()) {
				if (!isDoneLine(this.lines.partialLine())) {
					throw new ApiConnectionException("The connection closed in the middle of a stream event, before "
							+ "[DONE]; the answer is incomplete (the server may still have billed it)");
				}
				this.lines.flushPartialLine();
			}
			this.events.flushPendingEvent();
			if (!this.done && (this.seenChoices.isEmpty() || !allSeenChoicesFinished())) {
				throw new ApiConnectionException("The stream ended before [DONE] while "
						+ (this.seenChoices.isEmpty() ? "no chunk had arrived" : "a choice was unfinished")
						+ "; the connection was probably cut (the server may still have billed the request)");
			}
		}
		catch (DedalusException ex) {
			fail(ex);
		}
		return drain();
	}

	/**
	 * Pass an element on, or signal the failure it stands for.
	 * @param element an element from {@link #feed} or {@link #finish}
	 * @param sink the downstream sink
	 */
	@SuppressWarnings("unchecked")
	public void emit(Object element, SynchronousSink<T> sink) {
		if (element instanceof Failure failure) {
			sink.error(failure.exception());
		}
		else {
			sink.next((T) element);
		}
	}

	@Override
	public void onEvent(@Nullable String eventType, byte[] data, int length) {
		if (this.done || this.failed) {
			return;
		}
		if (eventType == null && ChunkDecoder.isDone(data, length)) {
			this.done = true;
			return;
		}
		ChatCompletionChunk chunk = this.decoder.decode(this.parser, eventType, data, length);
		List<ChatCompletionChunk.Choice> choices = chunk.choices();
		for (int i = 0, size = choices.size(); i < size; i++) {
			ChatCompletionChunk.Choice choice = choices.get(i);
			int index = Math.max(choice.index(), 0);
			this.seenChoices.set(index);
			if (choice.finishReason() != null) {
				this.finishedChoices.set(index);
			}
		}
		add(this.mapper.map(data, length, chunk));
	}

	private void feed(ByteBuffer bytes) {
		if (bytes.hasArray()) {
			int start = bytes.arrayOffset() + bytes.position();
			this.lines.feed(bytes.array(), start, start + bytes.remaining());
			return;
		}
		byte[] buffer = this.scratch;
		if (buffer == null) {
			buffer = new byte[SCRATCH_SIZE];
			this.scratch = buffer;
		}
		while (bytes.hasRemaining() && !this.done) {
			int length = Math.min(bytes.remaining(), buffer.length);
			bytes.get(buffer, 0, length);
			this.lines.feed(buffer, 0, length);
		}
	}

	private boolean allSeenChoicesFinished() {
		BitSet unfinished = (BitSet) this.seenChoices.clone();
		unfinished.andNot(this.finishedChoices);
		return unfinished.isEmpty();
	}

	private static boolean isDoneLine(byte[] line) {
		String text = new String(line, java.nio.charset.StandardCharsets.UTF_8).strip();
		return text.equals("data: [DONE]") || text.equals("data:[DONE]");
	}

	private void fail(DedalusException ex) {
		this.failed = true;
		add(new Failure(ex));
	}

	private void add(Object element) {
		List<Object> list = this.out;
		if (list == null) {
			list = new ArrayList<>(4);
			this.out = list;
		}
		list.add(element);
	}

	private List<Object> drain() {
		List<Object> list = this.out;
		if (list == null) {
			return List.of();
		}
		this.out = null;
		return list;
	}

}
