package ai.dedaluslabs.client.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;

/**
 * A body's buffers decoded one at a time, as demand allows, into what {@link ChunkStreamDecoder}
 * makes of them; at the body's end, what {@link ChunkStreamDecoder#finish()} judges. One operator
 * instead of {@code concatMapIterable}, {@code doOnDiscard} and {@code concatWith(defer(finish))}:
 * three subscribers, three publishers and a queue less per open stream, and two steps less per
 * chunk.
 *
 * <p>
 * One buffer is asked for at a time, and only when the elements of the one before have all been
 * delivered and more are demanded. Elements are delivered by whichever thread holds the drain
 * ({@code wip}): the body's, on a buffer, or the subscriber's, on a request. The decoder holds the
 * elements a buffer made (no list or iterator per buffer); a failure it reports after some
 * elements is signalled after them, and cancels the body. A buffer that arrives after a cancel is
 * released, never fed.
 */
final class DecodedBody extends OperatorSubscriber<DataBuffer, Object> {

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<DecodedBody> WIP = AtomicIntegerFieldUpdater
		.newUpdater(DecodedBody.class, "wip");

	@SuppressWarnings("rawtypes")
	private static final AtomicLongFieldUpdater<DecodedBody> REQUESTED = AtomicLongFieldUpdater
		.newUpdater(DecodedBody.class, "requested");

	private static final AtomicReferenceFieldUpdater<DecodedBody, DataBuffer> NEXT = AtomicReferenceFieldUpdater
		.newUpdater(DecodedBody.class, DataBuffer.class, "next");

	private final ChunkStreamDecoder<?> decoder;

	private volatile int wip;

	private volatile long requested;

	/** A buffer that has arrived and is not fed yet. */
	private volatile @Nullable DataBuffer next;

	private volatile boolean bodyDone;

	private volatile @Nullable Throwable bodyError;

	private volatile boolean cancelled;

	// The rest are touched only by the thread holding the drain.

	private boolean bufferAskedFor;

	private boolean finishFed;

	private boolean terminated;

	DecodedBody(CoreSubscriber<? super Object> actual, ChunkStreamDecoder<?> decoder) {
		super(actual);
		this.decoder = decoder;
	}

	@Override
	public void request(long n) {
		if (Operators.validate(n)) {
			Operators.addCap(REQUESTED, this, n);
			drain();
		}
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		cancelUpstream();
		drain();
	}

	@Override
	public void onNext(DataBuffer buffer) {
		if (this.bodyDone) {
			DataBufferUtils.release(buffer);
			return;
		}
		this.next = buffer;
		if (this.cancelled) {
			releaseNext();
			return;
		}
		drain();
	}

	@Override
	public void onError(Throwable error) {
		if (this.bodyDone) {
			Operators.onErrorDropped(error, this.actual.currentContext());
			return;
		}
		this.bodyError = error;
		this.bodyDone = true;
		drain();
	}

	@Override
	public void onComplete() {
		if (!this.bodyDone) {
			this.bodyDone = true;
			drain();
		}
	}

	private void drain() {
		if (WIP.getAndIncrement(this) == 0) {
			drainLoop();
		}
	}

	private void drainLoop() {
		int missed = 1;
		for (;;) {
			if (this.terminated || this.cancelled) {
				releaseNext();
			}
			else {
				deliver();
			}
			missed = WIP.addAndGet(this, -missed);
			if (missed == 0) {
				return;
			}
		}
	}

	/** Deliver what is demanded, feeding buffers and asking for the next as needed. */
	private void deliver() {
		long demanded = this.requested;
		long delivered = 0;
		for (;;) {
			if (this.cancelled) {
				releaseNext();
				break;
			}
			if (this.decoder.hasPending()) {
				if (delivered == demanded) {
					break;
				}
				Object element = this.decoder.poll();
				if (element != null) {
					this.actual.onNext(element);
					delivered++;
				}
				continue;
			}
			DedalusException failure = this.decoder.takeFailure();
			if (failure != null) {
				fail(failure);
				return;
			}
			DataBuffer buffer = NEXT.getAndSet(this, null);
			if (buffer != null) {
				this.bufferAskedFor = false;
				if (!feed(buffer)) {
					return;
				}
				continue;
			}
			if (this.bodyDone) {
				Throwable error = this.bodyError;
				if (error != null) {
					this.terminated = true;
					this.actual.onError(error);
					return;
				}
				if (!this.finishFed) {
					this.finishFed = true;
					this.decoder.acceptEnd();
					continue;
				}
				this.terminated = true;
				this.actual.onComplete();
				return;
			}
			if (!this.bufferAskedFor && delivered < demanded) {
				// May deliver the buffer at once, on this thread: the loop then finds it.
				this.bufferAskedFor = true;
				requestUpstream(1);
				continue;
			}
			break;
		}
		if (delivered != 0 && demanded != Long.MAX_VALUE) {
			REQUESTED.addAndGet(this, -delivered);
		}
	}

	/** Whether the buffer could be decoded; if not, the stream has failed. */
	private boolean feed(DataBuffer buffer) {
		try {
			this.decoder.accept(buffer);
			return true;
		}
		catch (Throwable failure) {
			Exceptions.throwIfFatal(failure);
			fail(failure);
			return false;
		}
	}

	private void fail(Throwable failure) {
		this.terminated = true;
		cancelUpstream();
		releaseNext();
		this.actual.onError(failure);
	}

	private void releaseNext() {
		DataBuffer buffer = NEXT.getAndSet(this, null);
		if (buffer != null) {
			DataBufferUtils.release(buffer);
		}
	}

}
