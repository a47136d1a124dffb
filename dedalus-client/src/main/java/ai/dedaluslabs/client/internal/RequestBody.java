package ai.dedaluslabs.client.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The JSON body of one subscription's request, held until its attempts take it (see
 * {@code ApiTransport}, which lets go of it once a response has started).
 *
 * <p>
 * Why so careful: Reactor's {@code doOn*} subscribers keep their publisher, and with it the
 * whole assembly upstream, for as long as the stream lasts, and so do frameworks that keep a
 * handler's return value while they write it. Anything an assembly's lambdas hold stays with every
 * open stream, and a conversation's body is often tens of KiB. So a call keeps its request only in
 * an outer {@code defer} ({@link #bodies}), and builds the stream's assembly for each subscription
 * around one of these, which is empty once taken.
 */
public final class RequestBody {

	private final AtomicReference<byte @Nullable []> bytes;

	private RequestBody(byte[] bytes) {
		this.bytes = new AtomicReference<>(bytes);
	}

	/**
	 * The bodies of a call's subscriptions. The request is encoded now, so that one that cannot be
	 * encoded fails at the call; the first subscription gets those bytes, and any later one
	 * encodes the request again.
	 * @param encoder encodes the request; what it throws is thrown here
	 * @return a body for each subscription
	 */
	public static Supplier<RequestBody> bodies(Supplier<byte[]> encoder) {
		AtomicReference<byte @Nullable []> first = new AtomicReference<>(encoder.get());
		return () -> {
			byte[] encoded = first.getAndSet(null);
			return new RequestBody((encoded != null) ? encoded : encoder.get());
		};
	}

	/**
	 * The bytes, once.
	 * @return the encoded body
	 * @throws IllegalStateException when they were taken already
	 */
	byte[] take() {
		byte[] taken = this.bytes.getAndSet(null);
		if (taken == null) {
			throw new IllegalStateException("A request body is sent by one subscription only; subscribe to the "
					+ "call's publisher again for another request");
		}
		return taken;
	}

}
