package ai.dedaluslabs.client.internal;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * What this package's operators share: the subscriber downstream, the subscription upstream, and
 * requests passed through. The operators are written by hand because each stream runs through
 * them for every chunk, and Reactor's general operators cost more objects per stream, a step per
 * chunk each, and keep their publishers for as long as the stream lasts.
 *
 * @param <T> what arrives from upstream
 * @param <R> what goes downstream
 */
abstract class OperatorSubscriber<T, R> implements CoreSubscriber<T>, Subscription {

	/** The subscriber downstream. */
	final CoreSubscriber<? super R> actual;

	private @Nullable Subscription upstream;

	OperatorSubscriber(CoreSubscriber<? super R> actual) {
		this.actual = actual;
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
			subscribed();
		}
	}

	/** Called once the subscriber downstream has its subscription. */
	void subscribed() {
	}

	@Override
	public void request(long n) {
		requestUpstream(n);
	}

	@Override
	public void cancel() {
		cancelUpstream();
	}

	final void requestUpstream(long n) {
		Subscription subscription = this.upstream;
		// Passed on as it is, a bad amount included: the source answers it as the specification says.
		if (subscription != null) {
			subscription.request(n);
		}
	}

	final void cancelUpstream() {
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
	}

}
