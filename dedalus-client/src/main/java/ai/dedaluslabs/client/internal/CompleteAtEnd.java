package ai.dedaluslabs.client.internal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * Passes elements on and completes the subscriber at {@link ChunkStreamDecoder#END}, the
 * {@code [DONE]} event, without cancelling the source: the rest of the body is read and discarded
 * in the background, so a connection whose server ends the body right after {@code [DONE]} goes
 * back to the pool instead of being closed, and one whose server keeps it open is closed when the
 * body's idle limit runs out. It sits outside the HTTP exchange, so the exchange itself ends only
 * with the body. A subscriber that cancels before the end cancels the source at once, as always.
 *
 * @param <T> the element type
 */
final class CompleteAtEnd<T> extends OperatorSubscriber<Object, T> {

	private static final Log logger = LogFactory.getLog(CompleteAtEnd.class);

	private boolean ended;

	private CompleteAtEnd(CoreSubscriber<? super T> actual) {
		super(actual);
	}

	/**
	 * The elements up to {@link ChunkStreamDecoder#END}.
	 * @param <T> the element type
	 * @param elements what the decoder returned, in order
	 * @return the elements, completing at the end
	 */
	static <T> Flux<T> apply(Flux<Object> elements) {
		return OperatorFlux.<Object, T>of(elements, CompleteAtEnd::new);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onNext(Object element) {
		if (this.ended) {
			return;
		}
		if (element == ChunkStreamDecoder.END) {
			this.ended = true;
			this.actual.onComplete();
			// Read the rest of the body so the connection can be reused; nothing more is delivered.
			requestUpstream(Long.MAX_VALUE);
			return;
		}
		this.actual.onNext((T) element);
	}

	@Override
	public void onError(Throwable error) {
		if (this.ended) {
			logger.debug("The body after [DONE] ended with an error; the connection is closed", error);
			return;
		}
		this.actual.onError(error);
	}

	@Override
	public void onComplete() {
		if (!this.ended) {
			this.actual.onComplete();
		}
	}

	@Override
	public void cancel() {
		if (!this.ended) {
			cancelUpstream();
		}
	}

}
