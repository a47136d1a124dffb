package ai.dedaluslabs.spring.web;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Maps each element to a frame, or to nothing. Not {@code handle} or {@code mapNotNull}: with
 * Micrometer's context propagation on the classpath (every Spring Boot application with Actuator),
 * those restore the subscriber's thread-locals around every element, which opens and closes a
 * scope of the request's observation for each chunk; the mapping here is this project's own code
 * and needs none of them.
 */
final class FrameMapping {

	private FrameMapping() {
	}

	/**
	 * The elements mapped; an element mapped to {@code null} is skipped (and one more is requested).
	 * @param <T> the element type
	 * @param elements the elements
	 * @param toFrame the mapping; an exception it throws fails the sequence
	 * @return the frames
	 */
	static <T> Flux<SseFrame> map(Flux<T> elements, Function<T, @Nullable SseFrame> toFrame) {
		return elements.transform(Operators.<T, SseFrame>lift((scannable, actual) -> new Mapper<>(actual, toFrame)));
	}

	private static final class Mapper<T> implements CoreSubscriber<T>, Subscription {

		private final CoreSubscriber<? super SseFrame> actual;

		private final Function<T, @Nullable SseFrame> toFrame;

		private @Nullable Subscription upstream;

		private boolean done;

		Mapper(CoreSubscriber<? super SseFrame> actual, Function<T, @Nullable SseFrame> toFrame) {
			this.actual = actual;
			this.toFrame = toFrame;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (Operators.validate(this.upstream, subscription)) {
				this.upstream = subscription;
				this.actual.onSubscribe(this);
			}
		}

		@Override
		public void onNext(T element) {
			if (this.done) {
				Operators.onNextDropped(element, this.actual.currentContext());
				return;
			}
			SseFrame frame;
			try {
				frame = this.toFrame.apply(element);
			}
			catch (Throwable failure) {
				Exceptions.throwIfFatal(failure);
				Subscription subscription = this.upstream;
				if (subscription != null) {
					subscription.cancel();
				}
				onError(failure);
				return;
			}
			if (frame != null) {
				this.actual.onNext(frame);
			}
			else {
				Subscription subscription = this.upstream;
				if (subscription != null) {
					subscription.request(1);
				}
			}
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				Operators.onErrorDropped(error, this.actual.currentContext());
				return;
			}
			this.done = true;
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (!this.done) {
				this.done = true;
				this.actual.onComplete();
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

	}

}
