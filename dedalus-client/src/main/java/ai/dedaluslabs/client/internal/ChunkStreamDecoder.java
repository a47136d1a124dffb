package ai.dedaluslabs.client.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.DedalusException;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import reactor.core.publisher.Flux;

/**
 * The state of one decoded stream: bytes in, chunks out. It knows when {@code [DONE]} arrived and
 * which choices have finished, which decides how a stream that ends without {@code [DONE]} is
 * judged.
 *
 * <p>
 * {@link #feed} never throws for a bad event: it returns the chunks decoded before it, and the
 * returned iterable throws the error once they have been taken, which {@link DecodedBody} signals
 * after them; so a subscriber always receives every chunk that preceded an error. {@code [DONE]} is returned as {@link #END} after the chunks before it, so the
 * stream completes there, without waiting for the server to close the body. Not thread-safe: one
 * instance per subscription.
 *
 * @param <T> what each event becomes
 */
final class ChunkStreamDecoder<T> implements SseEventAssembler.EventHandler, FastChunkParser.ChoiceSink {

	/** Returned after the last chunk when {@code [DONE]} arrives: the stream is complete. */
	static final Object END = new Object();


	/**
	 * Where bytes of a direct (off-heap) network buffer are copied to be read, one per thread rather
	 * than per stream: nothing refers to it after {@link #feed} returns, and at thousands of open
	 * streams a buffer each would be most of their heap.
	 */
	private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8 * 1024]);

	private final ChunkDecoder decoder;

	private final ChunkParser parser;

	private final EventMapper<T> mapper;

	private final SseLineReader lines;

	private final SseEventAssembler events;

	/**
	 * The choices seen and finished, by index: one bit each in a long for the first 64 (every
	 * stream there is: {@code n} is small), a {@link BitSet} beyond, made when needed. Two bit sets
	 * per stream were 96 bytes of every open stream's heap.
	 */
	private long seenChoices;

	private long finishedChoices;

	private @Nullable BitSet seenBeyond;

	private @Nullable BitSet finishedBeyond;

	/**
	 * The oldest element made and not yet taken, and the ones after it. A network buffer usually
	 * completes one event, so the common case needs no collection at all; a buffer that completes
	 * several fills {@code more}, which the stream keeps for the next time.
	 */
	private @Nullable Object pending;

	private @Nullable ArrayDeque<Object> more;

	private @Nullable DedalusException failure;

	private boolean done;

	private boolean failed;

	/**
	 * Create the state for one stream.
	 * @param decoder the event decoder
	 * @param mapper what each event becomes
	 * @param maxEventSize the largest event accepted, in bytes
	 */
	ChunkStreamDecoder(ChunkDecoder decoder, EventMapper<T> mapper, int maxEventSize) {
		this.decoder = decoder;
		this.parser = decoder.newParser();
		this.mapper = mapper;
		this.events = new SseEventAssembler(this, maxEventSize);
		this.lines = new SseLineReader(this.events, maxEventSize);
	}

	/**
	 * The decoded elements of a body, {@link #END} after {@code [DONE]}, then (as the body is read
	 * to its end) nothing more; at the body's end, as {@link #finish()} judges it. Apply
	 * {@link #completeAtEnd} to complete at {@link #END}.
	 * @param body the body's buffers, each released once decoded
	 * @return the elements, {@code T} or {@link #END}
	 */
	Flux<Object> decode(Flux<DataBuffer> body) {
		return OperatorFlux.of(body, (actual) -> new DecodedBody(actual, this));
	}

	/**
	 * Pass elements on and complete at {@link #END}, reading the rest of the body in the background
	 * (see {@link CompleteAtEnd}).
	 * @param <T> the element type
	 * @param elements what {@link #feed} and {@link #finish} returned, in order
	 * @return the elements up to the end
	 */
	static <T> Flux<T> completeAtEnd(Flux<Object> elements) {
		return CompleteAtEnd.apply(elements);
	}

	/**
	 * Decode the next piece of the body. The buffer is released.
	 * @param buffer the bytes
	 * @return the elements it completed, possibly followed by {@link #END} or one failure
	 */
	Iterable<Object> feed(DataBuffer buffer) {
		accept(buffer);
		return drain();
	}

	/**
	 * Decode the next piece of the body into the elements {@link #poll} gives, and a failure for
	 * {@link #takeFailure}. The buffer is released.
	 * @param buffer the bytes
	 */
	void accept(DataBuffer buffer) {
		try {
			if (this.done || this.failed) {
				return;
			}
			if (buffer instanceof NettyDataBuffer netty) {
				read(netty.getNativeBuffer());
			}
			else {
				try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
					while (iterator.hasNext() && !this.done) {
						feed(iterator.next());
					}
				}
			}
		}
		catch (DedalusException ex) {
			fail(ex);
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * The next element made and not yet taken.
	 * @return the element, or {@code null} when there is none
	 */
	@Nullable Object poll() {
		Object first = this.pending;
		if (first != null) {
			this.pending = null;
			return first;
		}
		ArrayDeque<Object> rest = this.more;
		return (rest != null) ? rest.poll() : null;
	}

	/**
	 * Whether {@link #poll} has an element to give.
	 * @return {@code true} if so
	 */
	boolean hasPending() {
		ArrayDeque<Object> rest = this.more;
		return this.pending != null || (rest != null && !rest.isEmpty());
	}

	/**
	 * The failure to signal after the elements before it, once.
	 * @return the failure, or {@code null}
	 */
	@Nullable DedalusException takeFailure() {
		DedalusException error = this.failure;
		this.failure = null;
		return error;
	}

	/**
	 * Decode bytes from an array, for tests and benchmarks.
	 * @param bytes the bytes
	 * @param offset the start
	 * @param length how many
	 * @return the elements it completed, possibly followed by {@link #END} or one failure
	 */
	Iterable<Object> feed(byte[] bytes, int offset, int length) {
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
	 * otherwise fail with {@link ApiConnectionException}. An event still missing its closing blank
	 * line is discarded, as the WHATWG rules and the OpenAI SDKs do.
	 * @return the last elements, possibly followed by one failure
	 */
	Iterable<Object> finish() {
		acceptEnd();
		return drain();
	}

	/** {@link #finish()} into the elements {@link #poll} gives, and a failure for {@link #takeFailure}. */
	void acceptEnd() {
		if (this.done || this.failed) {
			return;
		}
		boolean noneSeen = this.seenChoices == 0 && this.seenBeyond == null;
		if (noneSeen || !allSeenChoicesFinished()) {
			boolean cut = this.lines.hasPartialLine() || this.events.hasPendingEvent();
			fail(new ApiConnectionException("The stream ended before [DONE] while "
					+ (noneSeen ? "no chunk had arrived" : "a choice was unfinished")
					+ (cut ? ", in the middle of an event" : "")
					+ "; the connection was probably cut (the server may still have billed the request)"));
		}
	}

	@Override
	public void onEvent(@Nullable String eventType, byte[] data, int offset, int length) {
		if (this.done || this.failed) {
			return;
		}
		if (ChunkDecoder.isDone(data, offset, length)) {
			this.done = true;
			add(END);
			return;
		}
		ChatCompletionChunk chunk;
		if (this.mapper.defersRecords()) {
			long seen = this.seenChoices;
			long finished = this.finishedChoices;
			FastChunkParser checked = this.decoder.check(this.parser, eventType, data, offset, length, this);
			if (checked != null) {
				add(this.mapper.mapChecked(data, offset, length, checked.checkedModel(), checked.checkedChoices()));
				return;
			}
			// What a check that gave up had noted is noted again from the records, as they read it.
			this.seenChoices = seen;
			this.finishedChoices = finished;
			chunk = this.decoder.decodeMasked(this.parser, data, offset, length);
		}
		else {
			chunk = this.decoder.decode(this.parser, eventType, data, offset, length);
		}
		List<ChatCompletionChunk.Choice> choices = chunk.choices();
		for (int i = 0, size = choices.size(); i < size; i++) {
			ChatCompletionChunk.Choice choice = choices.get(i);
			see(Math.max(choice.index(), 0), choice.finishReason() != null);
		}
		add(this.mapper.map(data, offset, length, chunk));
	}

	/** Netty's buffer read where it lies, or copied once: no NIO views, no iterator per buffer. */
	private void read(ByteBuf buffer) {
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		if (buffer.hasArray()) {
			int start = buffer.arrayOffset() + index;
			this.lines.feed(buffer.array(), start, start + (end - index));
			return;
		}
		byte[] scratch = SCRATCH.get();
		while (index < end && !this.done) {
			int length = Math.min(end - index, scratch.length);
			buffer.getBytes(index, scratch, 0, length);
			this.lines.feed(scratch, 0, length);
			index += length;
		}
	}

	private void feed(ByteBuffer bytes) {
		if (bytes.hasArray()) {
			int start = bytes.arrayOffset() + bytes.position();
			this.lines.feed(bytes.array(), start, start + bytes.remaining());
			return;
		}
		byte[] buffer = SCRATCH.get();
		while (bytes.hasRemaining() && !this.done) {
			int length = Math.min(bytes.remaining(), buffer.length);
			bytes.get(buffer, 0, length);
			this.lines.feed(buffer, 0, length);
		}
	}

	@Override
	public void choice(int index, boolean finished) {
		see(index, finished);
	}

	private void see(int index, boolean finished) {
		if (index < Long.SIZE) {
			long bit = 1L << index;
			this.seenChoices |= bit;
			if (finished) {
				this.finishedChoices |= bit;
			}
			return;
		}
		BitSet seen = this.seenBeyond;
		BitSet done = this.finishedBeyond;
		if (seen == null || done == null) {
			seen = new BitSet();
			done = new BitSet();
			this.seenBeyond = seen;
			this.finishedBeyond = done;
		}
		seen.set(index - Long.SIZE);
		if (finished) {
			done.set(index - Long.SIZE);
		}
	}

	private boolean allSeenChoicesFinished() {
		if ((this.seenChoices & ~this.finishedChoices) != 0) {
			return false;
		}
		BitSet seen = this.seenBeyond;
		BitSet done = this.finishedBeyond;
		if (seen == null || done == null) {
			return true;
		}
		BitSet unfinished = (BitSet) seen.clone();
		unfinished.andNot(done);
		return unfinished.isEmpty();
	}

	private void fail(DedalusException ex) {
		this.failed = true;
		this.failure = ex;
	}

	private void add(Object element) {
		ArrayDeque<Object> rest = this.more;
		if (this.pending == null && (rest == null || rest.isEmpty())) {
			this.pending = element;
			return;
		}
		if (rest == null) {
			rest = new ArrayDeque<>(8);
			this.more = rest;
		}
		rest.add(element);
	}

	/** The pending elements and failure as one iterable, for {@link #feed} and {@link #finish}. */
	private Iterable<Object> drain() {
		List<Object> list = new ArrayList<>();
		for (Object element = poll(); element != null; element = poll()) {
			list.add(element);
		}
		DedalusException error = takeFailure();
		return (error != null) ? new ThenFail<>(list, error) : list;
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
