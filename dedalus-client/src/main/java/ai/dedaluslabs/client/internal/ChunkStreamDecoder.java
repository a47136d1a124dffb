package ai.dedaluslabs.client.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * The state of one decoded stream: bytes in, chunks out. It knows when {@code [DONE]} arrived,
 * which choices have finished, and whether the input ended in the middle of an event, which
 * decides how a stream that ends without {@code [DONE]} is judged.
 *
 * <p>
 * {@link #feed} never throws for a bad event: it returns the chunks decoded before it, and the
 * returned iterable throws the error once they have been taken, which Reactor's
 * {@code concatMapIterable} signals after them; so a subscriber always receives every chunk that
 * preceded an error, with no extra operator on the per-chunk path. Not thread-safe: one instance
 * per subscription.
 *
 * @param <T> what each event becomes
 */
final class ChunkStreamDecoder<T> implements SseEventAssembler.EventHandler {

	private static final int SCRATCH_SIZE = 16 * 1024;

	private final ChunkDecoder decoder;

	private final ChunkParser parser;

	private final EventMapper<T> mapper;

	private final SseLineReader lines;

	private final SseEventAssembler events;

	private final BitSet seenChoices = new BitSet();

	private final BitSet finishedChoices = new BitSet();

	private byte @Nullable [] scratch;

	private @Nullable List<T> out;

	private @Nullable DedalusException failure;

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
	public Iterable<T> feed(DataBuffer buffer) {
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
	public Iterable<T> feed(byte[] bytes, int offset, int length) {
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
	public Iterable<T> finish() {
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
		this.failure = ex;
	}

	private void add(T element) {
		List<T> list = this.out;
		if (list == null) {
			list = new ArrayList<>(4);
			this.out = list;
		}
		list.add(element);
	}

	private Iterable<T> drain() {
		List<T> list = this.out;
		this.out = null;
		DedalusException error = this.failure;
		if (error != null) {
			this.failure = null;
			return new ThenFail<>((list != null) ? list : List.of(), error);
		}
		return (list != null) ? list : List.of();
	}

	/** The elements, then the error: thrown by the iterator once the elements are taken. */
	private record ThenFail<T>(List<T> elements, DedalusException error) implements Iterable<T> {

		@Override
		public Iterator<T> iterator() {
			Iterator<T> elements = this.elements.iterator();
			return new Iterator<>() {
				@Override
				public boolean hasNext() {
					if (elements.hasNext()) {
						return true;
					}
					throw ThenFail.this.error;
				}

				@Override
				public T next() {
					return elements.next();
				}
			};
		}

	}

}
