package ai.dedaluslabs.spring.proxy.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import reactor.core.publisher.Sinks;

/**
 * Reads a request body with servlet non-blocking I/O: a container thread runs only while bytes
 * are there to read, so a caller that sends its body one byte at a time holds no thread while it
 * waits. At most {@code limit + 1} bytes are kept: one byte more than the limit is enough for the
 * endpoint to refuse the body as too large.
 */
final class ServletBodyReader implements ReadListener {

	private final ServletInputStream input;

	private final long limit;

	private final ByteArrayOutputStream body;

	private final byte[] buffer = new byte[8192];

	private final Sinks.One<byte[]> result;

	private ServletBodyReader(ServletInputStream input, long limit, long expected, Sinks.One<byte[]> result) {
		this.input = input;
		this.limit = limit;
		this.body = new ByteArrayOutputStream((int) Math.max(0, Math.min(expected, limit)));
		this.result = result;
	}

	/**
	 * Start reading; async processing must have started.
	 * @param request the request
	 * @param limit the largest body accepted
	 * @param result receives the body, or an error when the read fails
	 */
	static void start(HttpServletRequest request, long limit, Sinks.One<byte[]> result) throws IOException {
		ServletInputStream input = request.getInputStream();
		input.setReadListener(new ServletBodyReader(input, limit, request.getContentLengthLong(), result));
	}

	@Override
	public void onDataAvailable() throws IOException {
		while (this.input.isReady()) {
			int read = this.input.read(this.buffer);
			if (read < 0) {
				return;
			}
			this.body.write(this.buffer, 0, read);
			if (this.body.size() > this.limit) {
				// Enough to refuse it; the rest is left unread and the connection closed with the answer.
				this.result.tryEmitValue(this.body.toByteArray());
				return;
			}
		}
	}

	@Override
	public void onAllDataRead() {
		this.result.tryEmitValue(this.body.toByteArray());
	}

	@Override
	public void onError(Throwable failure) {
		this.result.tryEmitError(failure);
	}

}
