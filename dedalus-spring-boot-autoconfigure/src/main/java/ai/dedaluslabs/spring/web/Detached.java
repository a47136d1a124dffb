package ai.dedaluslabs.spring.web;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * A source that is let go of once subscribed, for the pipeline of one response: operators such as
 * {@code merge} and {@code concatWith} keep their sources for as long as the stream lasts, and
 * frameworks keep a handler's return value until the response ends, and through them the caller's
 * whole assembly, with everything its lambdas hold (a client's request, the caller's parsed body).
 * A second subscription fails: for a response it would send the request upstream again.
 *
 * @param <T> the element type
 */
final class Detached<T> extends Flux<T> {

	private @Nullable Publisher<? extends T> source;

	private Detached(Publisher<? extends T> source) {
		this.source = source;
	}

	/**
	 * The source, for one subscription only.
	 * @param <T> the element type
	 * @param source the source
	 * @return a publisher that subscribes the source once, then holds nothing
	 */
	static <T> Flux<T> of(Publisher<? extends T> source) {
		return new Detached<>(source);
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		Publisher<? extends T> current = this.source;
		this.source = null;
		if (current == null) {
			Operators.error(actual, new IllegalStateException("The frames of a forwarded stream are written to one "
					+ "response and can be subscribed once; call the forwarder again for another response (which "
					+ "sends the request upstream again)"));
			return;
		}
		current.subscribe(actual);
	}

}
