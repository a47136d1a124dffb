package ai.dedaluslabs.client.internal;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
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
			connection.dispose();
		}
	}

	/**
	 * Close the connection now, if it is known and open; a connection that arrives later is closed
	 * on arrival. A connection from a connector the client did not build is never known: then
	 * closing relies on cancellation alone.
	 */
	void close() {
		this.closed = true;
		Connection current = this.connection;
		if (current != null) {
			current.dispose();
		}
	}

}
