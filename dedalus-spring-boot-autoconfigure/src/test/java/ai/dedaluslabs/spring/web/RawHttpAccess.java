package ai.dedaluslabs.spring.web;

import java.io.IOException;

/**
 * {@link RawHttp} for tests in other packages: a streaming POST to the proxy endpoint that can be
 * abandoned midway.
 */
public final class RawHttpAccess implements AutoCloseable {

	private final RawHttp http;

	public RawHttpAccess(int port, String jsonBody) throws IOException {
		this(port, jsonBody, null);
	}

	public RawHttpAccess(int port, String jsonBody, String authorization) throws IOException {
		this.http = new RawHttp(port, "POST", "/dedalus/v1/chat/completions", jsonBody, authorization);
	}

	/**
	 * A streaming POST with extra headers.
	 * @param port the server's port
	 * @param jsonBody the body
	 * @param headers names and values, alternating
	 * @return the open exchange
	 */
	public static RawHttpAccess withHeaders(int port, String jsonBody, String... headers) throws IOException {
		return new RawHttpAccess(new RawHttp(port, "POST", "/dedalus/v1/chat/completions", jsonBody, headers));
	}

	/**
	 * A GET with extra headers, for an event stream.
	 * @param port the server's port
	 * @param path the path and query
	 * @param headers names and values, alternating
	 * @return the open exchange
	 */
	public static RawHttpAccess get(int port, String path, String... headers) throws IOException {
		return new RawHttpAccess(new RawHttp(port, "GET", path, null, headers));
	}

	/** Everything received so far, headers included. */
	public String received() {
		return this.http.text();
	}

	private RawHttpAccess(RawHttp http) {
		this.http = http;
	}

	/** Read to the end of the response. */
	public String readAll() throws IOException {
		return this.http.readAll();
	}

	public String readUntil(String marker) throws IOException {
		return this.http.readUntil(marker);
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}
