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

	public String readUntil(String marker) throws IOException {
		return this.http.readUntil(marker);
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}
