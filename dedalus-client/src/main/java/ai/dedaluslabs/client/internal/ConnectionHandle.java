package ai.dedaluslabs.client.internal;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.util.context.Context;

/**
 * The connection of one HTTP exchange, so that the transport can close it when the exchange ends
 * early (an idle or total time limit, a malformed or failed stream, a cancelled subscriber).
 * Cancelling the body alone is not enough: after an error WebClient tries to drain the body to
 * reuse the connection, which never ends while the server keeps streaming or stays silent, so the
 * connection (and the server's generation) would live on. The client's {@link HttpClient} hands
 * each response's connection to the handle found in the exchange's Reactor context.
 */
public final class ConnectionHandle {

	private static final String KEY = ConnectionHandle.class.getName();

	private volatile @Nullable Connection connection;

	private volatile boolean closed;

	/**
	 * Let the exchanges of a client report their connections.
	 * @param httpClient the client's HTTP client
	 * @return the HTTP client that reports each response's connection
	 */
	public static HttpClient track(HttpClient httpClient) {
		return httpClient.doOnResponse((response, connection) -> response.currentContextView()
			.<ConnectionHandle>getOrEmpty(KEY)
			.ifPresent((handle) -> handle.attach(connection)));
	}

	/**
	 * A subscriber's context with this handle in it.
	 * @param context the context
	 * @return the context that makes an exchange report its connection here
	 */
	Context addTo(Context context) {
		return context.put(KEY, this);
	}

	private void attach(Connection connection) {
		this.connection = connection;
		if (this.closed) {
			closeIfStillOurs(connection);
		}
	}

	/**
	 * Close the connection, if it is known and still carries this exchange; a connection that
	 * arrives later is closed on arrival. A connection from a connector the client did not build is
	 * never known: then closing relies on cancellation alone.
	 */
	void close() {
		this.closed = true;
		Connection current = this.connection;
		if (current != null) {
			closeIfStillOurs(current);
		}
	}

	/**
	 * A body read to its end gives its connection back to the pool at once, on the connection's
	 * event loop, and another exchange may take it there while this one's subscriber has yet to
	 * see the last elements: a cancel that arrives then (a browser gone as the answer ends, a
	 * {@code take(n)}) must not close the other exchange's connection. What the connection carries
	 * is checked on its event loop, where it is released and taken.
	 */
	private static void closeIfStillOurs(Connection exchange) {
		Channel channel = exchange.channel();
		EventLoop loop;
		try {
			loop = channel.eventLoop();
		}
		catch (IllegalStateException ex) {
			// Closed already, and no longer registered with an event loop.
			return;
		}
		if (loop.inEventLoop()) {
			disposeIfCurrent(exchange, channel);
			return;
		}
		try {
			loop.execute(() -> disposeIfCurrent(exchange, channel));
		}
		catch (RejectedExecutionException ex) {
			// The client is closed and its event loops with it, and so are its connections.
		}
	}

	private static void disposeIfCurrent(Connection exchange, Channel channel) {
		if (ChannelOperations.get(channel) == exchange) {
			exchange.dispose();
		}
	}

}
