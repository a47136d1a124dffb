package ai.dedaluslabs.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponseBody;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a rendered script as a live stream: HTTP chunked framing done here, so every event is
 * flushed on its own, the per-chunk delay, the fault, and a record of the client going away.
 */
final class ScriptedStreamBody implements MockResponseBody {

	private static final int ENDLESS_LIMIT = 100_000;

	private final List<String> events;

	private final StreamScript script;

	private final StreamScript.Identity identity;

	private final CountDownLatch closing;

	private final Runnable onClientGone;

	ScriptedStreamBody(List<String> events, StreamScript script, StreamScript.Identity identity, CountDownLatch closing,
			Runnable onClientGone) {
		this.events = events;
		this.script = script;
		this.identity = identity;
		this.closing = closing;
		this.onClientGone = onClientGone;
	}

	@Override
	public long getContentLength() {
		return -1;
	}

	@Override
	public void writeTo(BufferedSink sink) throws IOException {
		StreamFault fault = this.script.fault();
		try {
			// The headers go out at once, as the API's do, however long the first chunk takes.
			sink.flush();
			for (int i = 0; i < this.events.size(); i++) {
				if (fault != null && i == fault.afterChunks()) {
					writeFault(sink, fault);
					return;
				}
				pause();
				event(sink, "data: " + this.events.get(i) + "\n\n");
			}
			if (fault != null && fault.afterChunks() >= this.events.size()) {
				writeFault(sink, fault);
				return;
			}
			if (this.script.endless()) {
				for (int i = 0; i < ENDLESS_LIMIT; i++) {
					pause();
					event(sink, "data: " + filler() + "\n\n");
				}
			}
			if (this.script.done()) {
				event(sink, "data: [DONE]\n\n");
			}
			end(sink);
		}
		catch (IOException ex) {
			this.onClientGone.run();
			throw ex;
		}
	}

	private void writeFault(BufferedSink sink, StreamFault fault) throws IOException {
		if (fault instanceof StreamFault.DropConnection) {
			// Half an HTTP chunk; the response's socket effect then closes the connection.
			sink.writeUtf8("400\r\ndata: {\"id\":\"" + this.identity.id() + "\",");
			sink.flush();
		}
		else if (fault instanceof StreamFault.Stall) {
			await();
		}
		else if (fault instanceof StreamFault.MalformedEvent) {
			event(sink, "data: {\"id\": \"" + this.identity.id() + "\", \"choices\": [oops\n\n");
			end(sink);
		}
		else if (fault instanceof StreamFault.ErrorEvent error) {
			event(sink, "event: error\ndata: " + ChunkJson.error(error.message(), error.type(), null, null) + "\n\n");
			end(sink);
		}
	}

	private String filler() {
		ObjectNode chunk = ChunkJson.chunk(this.identity);
		ChunkJson.choice(chunk, 0).put("content", " more");
		ChunkJson.close(chunk, this.identity);
		return ChunkJson.write(chunk);
	}

	private void pause() {
		Duration delay = this.script.delayPerChunk();
		if (!delay.isZero()) {
			try {
				// The scripted pace of the fake model, on the server's own thread.
				if (this.closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void await() {
		try {
			this.closing.await(10, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void event(BufferedSink sink, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
		sink.flush();
	}

	private static void end(BufferedSink sink) throws IOException {
		sink.writeUtf8("0\r\n\r\n");
		sink.flush();
	}

}
