package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Turns SSE lines into events, as the WHATWG Server-Sent Events specification describes:
 * {@code data} lines are joined with {@code \n}, {@code event} names the event, lines starting
 * with {@code :} are comments, {@code id} and {@code retry} are ignored (the client never
 * reconnects a completion), and a blank line dispatches the event.
 *
 * <p>
 * The usual event, one {@code data:} line that lies wholly inside the piece being read, is handed
 * on where it lies, without a copy, so JSON is parsed straight from the bytes read. Only an event
 * of several data lines, or one that is still open when the piece ends, is gathered in a reused
 * buffer: {@link #endOfPiece()} moves a pending line there before the reader reuses its bytes.
 *
 * <p>
 * Not thread-safe: one instance per stream.
 */
final class SseEventAssembler implements SseLineReader.LineHandler {

	/** Receives each complete event. The data buffer is reused after the call returns. */
	interface EventHandler {

		void onEvent(@Nullable String eventType, byte[] data, int offset, int length);

	}

	private final EventHandler handler;

	private final int maxEventSize;

	/** Grown on the first event that must be gathered: most events are read where they lie. */
	private byte[] data = new byte[0];

	private int dataLength;

	private boolean hasData;

	/** The event's only data line so far, where it lies in the piece being read; null once copied. */
	private byte @Nullable [] line;

	private int lineOffset;

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
			addData(buffer, valueStart, end - valueStart);
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

	@Override
	public void endOfPiece() {
		byte[] pending = this.line;
		if (pending != null) {
			this.line = null;
			int length = this.dataLength;
			this.dataLength = 0;
			this.hasData = false;
			appendData(pending, this.lineOffset, length);
		}
	}

	private void dispatch() {
		if (this.hasData) {
			byte[] pending = this.line;
			if (pending != null) {
				this.line = null;
				this.handler.onEvent(this.eventType, pending, this.lineOffset, this.dataLength);
			}
			else {
				this.handler.onEvent(this.eventType, this.data, 0, this.dataLength);
			}
		}
		this.hasData = false;
		this.dataLength = 0;
		this.eventType = null;
	}

	private void addData(byte[] buffer, int start, int length) {
		if (!this.hasData) {
			if (length > this.maxEventSize) {
				throw EventLimits.tooLarge(this.maxEventSize);
			}
			this.line = buffer;
			this.lineOffset = start;
			this.dataLength = length;
			this.hasData = true;
			return;
		}
		endOfPiece();
		appendData(buffer, start, length);
	}

	private void appendData(byte[] buffer, int start, int length) {
		int separator = this.hasData ? 1 : 0;
		int needed = this.dataLength + separator + length;
		if (needed > this.maxEventSize) {
			throw EventLimits.tooLarge(this.maxEventSize);
		}
		if (needed > this.data.length) {
			this.data = Arrays.copyOf(this.data,
					Math.min(Math.max(Math.max(needed, 512), this.data.length * 2), this.maxEventSize));
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
