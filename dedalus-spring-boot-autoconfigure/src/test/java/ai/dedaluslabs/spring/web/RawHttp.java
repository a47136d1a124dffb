package ai.dedaluslabs.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/1.1 client on a socket, for reading a stream exactly as sent and for going away in
 * the middle of it, as a closed browser tab does.
 */
final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	RawHttp(int port, String path) throws IOException {
		this(port, "GET", path, null);
	}

	RawHttp(int port, String method, String path, String jsonBody) throws IOException {
		this(port, method, path, jsonBody, (String) null);
	}

	RawHttp(int port, String method, String path, String jsonBody, String authorization) throws IOException {
		this(port, method, path, jsonBody, (authorization != null) ? new String[] { "Authorization", authorization }
				: new String[0]);
	}

	RawHttp(int port, String method, String path, String jsonBody, String... headers) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(15_000);
		OutputStream out = this.socket.getOutputStream();
		StringBuilder request = new StringBuilder().append(method).append(' ').append(path)
			.append(" HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nConnection: close\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		byte[] body = (jsonBody != null) ? jsonBody.getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (jsonBody != null) {
			request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
		}
		out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
		this.in = this.socket.getInputStream();
	}

	/** Read until the received text contains {@code marker}. */
	String readUntil(String marker) throws IOException {
		byte[] buffer = new byte[4096];
		while (!text().contains(marker)) {
			int read = this.in.read(buffer);
			if (read < 0) {
				break;
			}
			this.received.write(buffer, 0, read);
		}
		return text();
	}

	/** Read to the end of the response. */
	String readAll() throws IOException {
		this.received.write(this.in.readAllBytes());
		return text();
	}

	/** The response body, with chunked transfer framing removed. */
	static String body(String response) {
		String body = response.substring(response.indexOf("\r\n\r\n") + 4);
		if (!response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
			return body;
		}
		StringBuilder unchunked = new StringBuilder();
		int position = 0;
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		while (position < bytes.length) {
			int lineEnd = indexOf(bytes, position);
			int size = Integer.parseInt(new String(bytes, position, lineEnd - position, StandardCharsets.US_ASCII).trim(), 16);
			if (size == 0) {
				break;
			}
			unchunked.append(new String(bytes, lineEnd + 2, size, StandardCharsets.UTF_8));
			position = lineEnd + 2 + size + 2;
		}
		return unchunked.toString();
	}

	private static int indexOf(byte[] bytes, int from) {
		for (int i = from; i < bytes.length - 1; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		return bytes.length;
	}

	String text() {
		return this.received.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
