package ai.dedaluslabs.spring.proxy.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Reads a request body with servlet non-blocking I/O: a container thread runs only while bytes
 * are there to read, so a caller that sends its body one byte at a time holds no thread while it
 * waits. At most {@code limit + 1} bytes are kept: one byte more than the limit is enough for the
 * endpoint to refuse the body as too large.
 *
 * <p>
 * Nothing here keeps the body once it is handed over: Tomcat keeps the listener, and Reactor the
 * sink, until the request ends, which for a streamed answer is the whole stream; a conversation's
 * body is often tens of KiB.
 */
final class ServletBodyReader implements ReadListener {

	private final long limit;

	private final Sinks.One<Received> result = Sinks.one();

	private @Nullable ServletInputStream input;

	private @Nullable ByteArrayOutputStream body;

	private byte @Nullable [] buffer;

	/**
	 * A reader of at most {@code limit + 1} bytes.
	 * @param limit the largest body accepted
	 */
	ServletBodyReader(long limit) {
		this.limit = limit;
	}

	/**
	 * The body, or an error when the read fails; for one subscriber.
	 * @return the body once read
	 */
	Mono<byte[]> body() {
		return this.result.asMono().map(Received::take);
	}

	/**
	 * Start reading; async processing must have started.
	 * @param request the request
	 * @throws IOException when the body cannot be read
	 */
	void start(HttpServletRequest request) throws IOException {
		ServletInputStream stream = request.getInputStream();
		this.input = stream;
		this.body = new ByteArrayOutputStream((int) Math.max(0, Math.min(request.getContentLengthLong(), this.limit)));
		this.buffer = new byte[8192];
		stream.setReadListener(this);
	}

	@Override
	public void onDataAvailable() throws IOException {
		ServletInputStream input = this.input;
		ByteArrayOutputStream body = this.body;
		byte[] buffer = this.buffer;
		if (input == null || body == null || buffer == null) {
			return;
		}
		while (input.isReady()) {
			int read = input.read(buffer);
			if (read < 0) {
				return;
			}
			body.write(buffer, 0, read);
			if (body.size() > this.limit) {
				// Enough to refuse it; the rest is left unread and the connection closed with the answer.
				finish(body);
				return;
			}
		}
	}

	@Override
	public void onAllDataRead() {
		ByteArrayOutputStream body = this.body;
		if (body != null) {
			finish(body);
		}
	}

	@Override
	public void onError(Throwable failure) {
		release();
		this.result.tryEmitError(failure);
	}

	private void finish(ByteArrayOutputStream body) {
		release();
		this.result.tryEmitValue(new Received(body.toByteArray()));
	}

	private void release() {
		this.input = null;
		this.body = null;
		this.buffer = null;
	}

	/** The bytes read, handed over once: the sink keeps what it emitted. */
	private static final class Received {

		private byte @Nullable [] bytes;

		Received(byte[] bytes) {
			this.bytes = bytes;
		}

		synchronized byte[] take() {
			byte[] taken = Objects.requireNonNull(this.bytes, "The request body was already taken");
			this.bytes = null;
			return taken;
		}

	}

}
