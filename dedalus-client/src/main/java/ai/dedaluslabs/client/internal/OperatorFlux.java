package ai.dedaluslabs.client.internal;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;

/**
 * A source seen through one of this package's operators: each subscriber is wrapped in the
 * operator's subscriber and subscribed to the source. What {@code Operators.lift} does, without
 * what it costs every stream: it describes its lambda as text ({@code toString} of the lambda and
 * its identity hash, made anew at each call) and wraps the source in a lift publisher, three times
 * per stream here, at each stream's start, where thousands of streams starting at once wait on it.
 *
 * @param <I> what the source emits
 * @param <O> what the operator emits
 */
final class OperatorFlux<I, O> extends Flux<O> implements Scannable {

	private final Flux<? extends I> source;

	private final Function<CoreSubscriber<? super O>, CoreSubscriber<? super I>> operator;

	private OperatorFlux(Flux<? extends I> source, Function<CoreSubscriber<? super O>, CoreSubscriber<? super I>> operator) {
		this.source = source;
		this.operator = operator;
	}

	/**
	 * The source through an operator.
	 * @param <I> what the source emits
	 * @param <O> what the operator emits
	 * @param source the source
	 * @param operator makes the operator's subscriber for a subscriber downstream
	 * @return the source seen through the operator
	 */
	static <I, O> Flux<O> of(Flux<? extends I> source,
			Function<CoreSubscriber<? super O>, CoreSubscriber<? super I>> operator) {
		return new OperatorFlux<>(source, operator);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void subscribe(CoreSubscriber<? super O> actual) {
		((Flux<I>) this.source).subscribe(this.operator.apply(actual));
	}

	@Override
	public @Nullable Object scanUnsafe(Attr key) {
		if (key == Attr.PARENT) {
			return this.source;
		}
		if (key == Attr.RUN_STYLE) {
			return Attr.RunStyle.SYNC;
		}
		return null;
	}

}
