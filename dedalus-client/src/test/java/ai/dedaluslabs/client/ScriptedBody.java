package ai.dedaluslabs.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/**
 * A streamed body that writes events one at a time and flushes each, so the client receives them
 * as a live stream would, and that records whether the client went away: a write that fails after
 * the client closed its connection completes {@link #clientClosed()}.
 */
final class ScriptedBody implements MockResponseBody {

	/** What happens after the scripted events. */
	enum Ending {

		/** Finish the body normally. */
		COMPLETE,
		/** Keep writing events (up to a bound) until the client goes away. */
		ENDLESS,
		/** Say nothing more until released. */
		STALL,
		/** Cut the connection. */
		DROP,
		/** Write each event after the first only when {@link #allow()} lets it, then finish. */
		GATED,
		/**
		 * Send the headers at once, then write each event, the first included, only when
		 * {@link #allow()} lets it, then finish: a model that thinks before its first token.
		 */
		HEADERS_FIRST

	}

	private static final int ENDLESS_LIMIT = 200_000;

	private final String[] events;

	private final Ending ending;

	private final CompletableFuture<IOException> clientClosed = new CompletableFuture<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private final java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);

	ScriptedBody(Ending ending, String... events) {
		this.ending = ending;
		this.events = events;
	}

	MockResponse response() {
		// The body frames its own chunks, so each event is flushed as a live stream would be.
		MockResponse.Builder builder = new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/event-stream")
			.body(this)
			.removeHeader("Content-Length")
			.addHeader("Transfer-Encoding", "chunked");
		if (this.ending == Ending.DROP) {
			builder.onResponseEnd(new SocketEffect.CloseSocket());
		}
		return builder.build();
	}

	/** Completes with the write failure once the client has closed the connection. */
	CompletableFuture<IOException> clientClosed() {
		return this.clientClosed;
	}

	/** Let a gated body write its next event. */
	void allow() {
		this.gate.release();
	}

	/** Let a stalled body finish. */
	void release() {
		this.release.countDown();
	}

	@Override
	public long getContentLength() {
		return -1;
	}

	@Override
	public void writeTo(BufferedSink sink) throws IOException {
		try {
			if (this.ending == Ending.HEADERS_FIRST) {
				sink.flush();
			}
			for (int i = 0; i < this.events.length; i++) {
				boolean gated = (this.ending == Ending.GATED && i > 0) || this.ending == Ending.HEADERS_FIRST;
				if (gated && !this.gate.tryAcquire(30, TimeUnit.SECONDS)) {
					return;
				}
				write(sink, this.events[i]);
			}
			switch (this.ending) {
				case COMPLETE, GATED, HEADERS_FIRST -> {
					sink.writeUtf8("0\r\n\r\n");
					sink.flush();
				}
				case ENDLESS -> {
					for (int i = 0; i < ENDLESS_LIMIT; i++) {
						write(sink, Sse.chunk(0, "more"));
					}
				}
				case STALL -> this.release.await(30, TimeUnit.SECONDS);
				case DROP -> {
					// half an HTTP chunk, then the socket closes: the connection dies mid-event
					sink.writeUtf8("1000\r\ndata: {\"id\":\"chatcmpl-9\",");
					sink.flush();
				}
			}
		}
		catch (IOException ex) {
			this.clientClosed.complete(ex);
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void write(BufferedSink sink, String event) throws IOException {
		byte[] bytes = ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
		sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
		sink.flush();
	}

}
