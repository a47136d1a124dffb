package ai.dedaluslabs.client.internal;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLException;

import ai.dedaluslabs.client.internal.format.Durations;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.DedalusException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

/**
 * Translates transport failures into the client's exception types, with messages that name the
 * cause and the setting that fixes it.
 */
final class TransportErrors {

	private TransportErrors() {
	}

	static Throwable translate(Throwable failure, URI baseUrl, int maxEventSize, java.time.Duration connectTimeout) {
		if (failure instanceof DedalusException || failure instanceof Error) {
			return failure;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DedalusException dedalus) {
				return dedalus;
			}
			if (cause instanceof DataBufferLimitException) {
				return EventLimits.tooLarge(maxEventSize);
			}
			if (cause instanceof ConnectTimeoutException) {
				return new ApiTimeoutException("Connecting to " + baseUrl + " took longer than the connect timeout of "
						+ Durations.format(connectTimeout) + "; check dedalus.base-url and the network, or raise dedalus.timeout.connect",
						failure);
			}
			if (cause instanceof TimeoutException) {
				return new ApiTimeoutException("A network read to " + baseUrl + " timed out: " + cause, failure);
			}
			if (cause instanceof PoolAcquirePendingLimitException) {
				return new ApiConnectionException("The connection pool is exhausted: every connection is busy and the "
						+ "queue of waiting requests is full; raise dedalus.pool.max-connections or "
						+ "dedalus.pool.max-pending-acquires", failure);
			}
			if (cause instanceof PoolAcquireTimeoutException) {
				return new ApiConnectionException("No pooled connection became free in time: every connection is busy; "
						+ "raise dedalus.pool.max-connections", failure);
			}
			if (cause instanceof UnknownHostException) {
				return new ApiConnectionException("The host of " + baseUrl + " is unknown (" + cause.getMessage()
						+ "); check dedalus.base-url and DNS", failure);
			}
			if (cause instanceof ConnectException) {
				return new ApiConnectionException("Could not connect to " + baseUrl + " (" + cause.getMessage()
						+ "); check dedalus.base-url and that the API is reachable", failure);
			}
			if (cause instanceof SSLException) {
				return new ApiConnectionException("The TLS handshake with " + baseUrl + " failed (" + cause.getMessage()
						+ "); check the server certificate or dedalus.ssl.bundle", failure);
			}
			if (cause instanceof PrematureCloseException || cause instanceof ClosedChannelException) {
				return new ApiConnectionException("The connection to " + baseUrl + " closed before the response was "
						+ "complete; the server may still have done (and billed) the work", failure);
			}
		}
		// Anything else that reaches here came out of the HTTP stack (Netty's codecs report broken
		// framing with plain runtime exceptions), so it is a failed connection, not a bug to rethrow.
		return new ApiConnectionException("The connection to " + baseUrl + " failed: " + describe(failure), failure);
	}

	private static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
