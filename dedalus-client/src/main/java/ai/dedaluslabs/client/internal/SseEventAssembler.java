package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Turns SSE lines into events, as the WHATWG Server-Sent Events specification describes:
 * {@code data} lines are joined with {@code \n}, {@code event} names the event, lines starting
 * with {@code :} are comments, {@code id} and {@code retry} are ignored (the client never
 * reconnects a completion), and a blank line dispatches the event. Event data is gathered in one
 * reused buffer and handed on as bytes, so JSON is parsed straight from it.
 *
 * <p>
 * Not thread-safe: one instance per stream.
 */
final class SseEventAssembler implements SseLineReader.LineHandler {

	/** Receives each complete event. The data buffer is reused after the call returns. */
	interface EventHandler {

		void onEvent(@Nullable String eventType, byte[] data, int length);

	}

	private final EventHandler handler;

	private final int maxEventSize;

	private byte[] data = new byte[512];

	private int dataLength;

	private boolean hasData;

	private @Nullable String eventType;

	SseEventAssembler(EventHandler handler, int maxEventSize) {
		this.handler = handler;
		this.maxEventSize = maxEventSize;
	}

	@Override
	public void onLine(byte[] buffer, int offset, int length) {
		if (length == 0) {
			dispatch();
			return;
		}
		if (buffer[offset] == ':') {
			return;
		}
		int colon = indexOfColon(buffer, offset, length);
		int nameLength = (colon >= 0) ? colon - offset : length;
		int valueStart = (colon >= 0) ? colon + 1 : offset + length;
		int end = offset + length;
		if (valueStart < end && buffer[valueStart] == ' ') {
			valueStart++;
		}
		if (isField(buffer, offset, nameLength, 'd', 'a', 't', 'a')) {
			appendData(buffer, valueStart, end - valueStart);
		}
		else if (nameLength == 5 && isField(buffer, offset, 4, 'e', 'v', 'e', 'n') && buffer[offset + 4] == 't') {
			// An empty name is the default, "message" (WHATWG): the same as no event line at all.
			this.eventType = (valueStart < end) ? new String(buffer, valueStart, end - valueStart, StandardCharsets.UTF_8)
					: null;
		}
	}

	/**
	 * Whether data lines arrived whose closing blank line has not. At the end of the input such an
	 * event is discarded, as the WHATWG rules and the OpenAI SDKs do.
	 * @return whether an event is pending
	 */
	boolean hasPendingEvent() {
		return this.hasData;
	}

	private void dispatch() {
		if (this.hasData) {
			this.handler.onEvent(this.eventType, this.data, this.dataLength);
		}
		this.hasData = false;
		this.dataLength = 0;
		this.eventType = null;
	}

	private void appendData(byte[] buffer, int start, int length) {
		int separator = this.hasData ? 1 : 0;
		int needed = this.dataLength + separator + length;
		if (needed > this.maxEventSize) {
			throw EventLimits.tooLarge(this.maxEventSize);
		}
		if (needed > this.data.length) {
			this.data = Arrays.copyOf(this.data, Math.min(Math.max(needed, this.data.length * 2), this.maxEventSize));
		}
		if (separator == 1) {
			this.data[this.dataLength] = '\n';
		}
		System.arraycopy(buffer, start, this.data, this.dataLength + separator, length);
		this.dataLength = needed;
		this.hasData = true;
	}

	private static int indexOfColon(byte[] buffer, int offset, int length) {
		for (int i = offset, end = offset + length; i < end; i++) {
			if (buffer[i] == ':') {
				return i;
			}
		}
		return -1;
	}

	private static boolean isField(byte[] buffer, int offset, int length, char a, char b, char c, char d) {
		return length == 4 && buffer[offset] == a && buffer[offset + 1] == b && buffer[offset + 2] == c
				&& buffer[offset + 3] == d;
	}

}
