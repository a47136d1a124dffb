package ai.dedaluslabs.client.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A stream subscribed at once, so that its request goes out, and handed over when the API has
 * accepted it: when {@link ApiTransport} finds this stream in its subscriber's context and a 2xx
 * {@code text/event-stream} response's headers arrive, before the first event. A front end can
 * then answer its own caller with a status as early as the API answered, and build that answer
 * while the model is still thinking, instead of all at the first chunk. A failure before that
 * (a refusal with a status, a connection that could not be made) is the start's error instead.
 *
 * <p>
 * Nothing is requested from the stream until whoever it was handed to subscribes and asks: the
 * response body waits in the network buffers, with backpressure, as it would for any slow reader.
 * A stream whose subscription did not reach this client's transport during the subscribe call
 * (another source, or one subscribed on another thread) cannot report that it was accepted; it is
 * handed over at once, so the start never waits for a signal that will not come.
 *
 * <p>
 * Two subscriptions share this object and must not be confused: the start's (a {@code Mono}
 * subscriber that receives the stream, {@link Start}) and the handed-over stream's (this object's
 * own {@link #request} and {@link #cancel}).
 *
 * @param <T> the element type
 */
public final class AcceptedStream<T> extends Flux<T> implements CoreSubscriber<T>, Subscription {

	/** Where {@link ApiTransport} finds the stream to tell: the key in the subscriber's context. */
	static final Object KEY = AcceptedStream.class;

	// The start's state: bits, each set once.
	private static final int REQUESTED = 1;

	private static final int ACCEPTED = 2;

	private static final int FAILED = 4;

	private static final int CANCELLED = 8;

	// The handed-over stream's hand-shake between its subscriber and its end.
	private static final int SUBSCRIBED = 1;

	private static final int ENDED = 2;

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<AcceptedStream> START = AtomicIntegerFieldUpdater
		.newUpdater(AcceptedStream.class, "start");

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<AcceptedStream> HANDSHAKE = AtomicIntegerFieldUpdater
		.newUpdater(AcceptedStream.class, "handshake");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<AcceptedStream, CoreSubscriber> ACTUAL = AtomicReferenceFieldUpdater
		.newUpdater(AcceptedStream.class, CoreSubscriber.class, "actual");

	private volatile int start;

	private volatile int handshake;

	/** Let go once the stream is handed over: it holds the whole chain that waited for the start. */
	private volatile @Nullable CoreSubscriber<? super Flux<T>> starter;

	private volatile @Nullable CoreSubscriber<? super T> actual;

	private volatile @Nullable Subscription upstream;

	private final Context context;

	private volatile boolean reachedTransport;

	private @Nullable Throwable error;

	private AcceptedStream(CoreSubscriber<? super Flux<T>> starter) {
		this.starter = starter;
		this.context = starter.currentContext().put(KEY, this);
	}

	/**
	 * Subscribe a stream at once and emit it when the API has accepted its request.
	 * @param <T> the element type
	 * @param source one of the client's streams, or a stream built on one by operators that subscribe
	 * it with their subscriber's context
	 * @return the start: the stream, to be subscribed once, or the error that ended it before it
	 * was accepted; cancelling the start before it emits cancels the request
	 */
	public static <T> Mono<Flux<T>> start(Flux<T> source) {
		return new Start<>(source);
	}

	/** Called by the transport as it subscribes the request: this stream can be told it was accepted. */
	void reachedTransport() {
		this.reachedTransport = true;
	}

	/** Called by the transport when a 2xx response's headers arrived: the stream is handed over. */
	void accepted() {
		for (;;) {
			int state = this.start;
			if ((state & (ACCEPTED | FAILED | CANCELLED)) != 0) {
				return;
			}
			if (START.compareAndSet(this, state, state | ACCEPTED)) {
				if ((state & REQUESTED) != 0) {
					handOver();
				}
				return;
			}
		}
	}

	private void requestStart(long n) {
		if (n <= 0) {
			if (fail(Operators.onOperatorError(new IllegalArgumentException("§3.9 violated: positive request amount "
					+ "required but it was " + n), this.context))) {
				cancel();
			}
			return;
		}
		for (;;) {
			int state = this.start;
			if ((state & REQUESTED) != 0) {
				return;
			}
			if (START.compareAndSet(this, state, state | REQUESTED)) {
				if ((state & ACCEPTED) != 0 && (state & CANCELLED) == 0) {
					handOver();
				}
				return;
			}
		}
	}

	private void cancelStart() {
		for (;;) {
			int state = this.start;
			if ((state & (CANCELLED | FAILED)) != 0) {
				return;
			}
			if (START.compareAndSet(this, state, state | CANCELLED)) {
				this.starter = null;
				boolean handedOver = (state & (ACCEPTED | REQUESTED)) == (ACCEPTED | REQUESTED);
				if (!handedOver) {
					cancel();
				}
				return;
			}
		}
	}

	private void handOver() {
		CoreSubscriber<? super Flux<T>> subscriber = this.starter;
		this.starter = null;
		if (subscriber != null) {
			subscriber.onNext(this);
			subscriber.onComplete();
		}
	}

	/** The stream ended before it was accepted: the start fails instead, if no one cancelled it. */
	private boolean fail(Throwable failure) {
		for (;;) {
			int state = this.start;
			if ((state & (ACCEPTED | CANCELLED | FAILED)) != 0) {
				return false;
			}
			if (START.compareAndSet(this, state, state | FAILED)) {
				CoreSubscriber<? super Flux<T>> subscriber = this.starter;
				this.starter = null;
				if (subscriber != null) {
					subscriber.onError(failure);
				}
				return true;
			}
		}
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			// Cancelled, or failed by a bad request amount, before the source was subscribed.
			if ((this.start & (CANCELLED | FAILED)) != 0) {
				subscription.cancel();
			}
		}
	}

	@Override
	public void onNext(T element) {
		CoreSubscriber<? super T> subscriber = this.actual;
		// Only the handed-over stream's subscriber requests, so it is there before any element is.
		if (subscriber == null) {
			Operators.onNextDropped(element, this.context);
			return;
		}
		subscriber.onNext(element);
	}

	@Override
	public void onError(Throwable failure) {
		if (fail(failure)) {
			return;
		}
		this.error = failure;
		end();
	}

	@Override
	public void onComplete() {
		// Ended before it was accepted (a source that does not report acceptance): an empty stream.
		accepted();
		end();
	}

	private void end() {
		if ((HANDSHAKE.getAndUpdate(this, (state) -> state | ENDED) & SUBSCRIBED) != 0) {
			deliverEnd();
		}
	}

	private void deliverEnd() {
		CoreSubscriber<? super T> subscriber = this.actual;
		if (subscriber == null) {
			return;
		}
		Throwable failure = this.error;
		if (failure != null) {
			subscriber.onError(failure);
		}
		else {
			subscriber.onComplete();
		}
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> subscriber) {
		if (!ACTUAL.compareAndSet(this, null, subscriber)) {
			Operators.error(subscriber, new IllegalStateException("This Dedalus stream was already subscribed; "
					+ "it can be read only once"));
			return;
		}
		subscriber.onSubscribe(this);
		// After onSubscribe: an end arriving while it requested is delivered here, not before it.
		if ((HANDSHAKE.getAndUpdate(this, (state) -> state | SUBSCRIBED) & ENDED) != 0) {
			deliverEnd();
		}
	}

	@Override
	public void request(long n) {
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.request(n);
		}
	}

	@Override
	public void cancel() {
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
	}

	/** The start: subscribes the source for each of its subscribers, and emits the stream once accepted. */
	private static final class Start<T> extends Mono<Flux<T>> {

		private final Flux<T> source;

		Start(Flux<T> source) {
			this.source = source;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Flux<T>> subscriber) {
			AcceptedStream<T> stream = new AcceptedStream<>(subscriber);
			subscriber.onSubscribe(new Subscription() {
				@Override
				public void request(long n) {
					stream.requestStart(n);
				}

				@Override
				public void cancel() {
					stream.cancelStart();
				}
			});
			if ((stream.start & (CANCELLED | FAILED)) != 0) {
				return;
			}
			this.source.subscribe(stream);
			if (!stream.reachedTransport) {
				stream.accepted();
			}
		}

	}

}
