package ai.dedaluslabs.client.internal;

import java.util.Arrays;

/**
 * Splits a byte stream into SSE lines ending in {@code \n}, {@code \r\n} or {@code \r}, with
 * input arriving in arbitrary pieces: a line, a {@code \r\n} pair or a multi-byte UTF-8
 * character may be split between two pieces. Lines that lie wholly inside one piece are passed on
 * without copying; only a line split across pieces is gathered in a carry buffer, which is reused.
 *
 * <p>
 * One UTF-8 byte-order mark at the very start of the stream is dropped, as the WHATWG rules say;
 * it may itself arrive split between pieces.
 *
 * <p>
 * Not thread-safe: one instance per stream, fed serially (as Reactor guarantees).
 */
final class SseLineReader {

	/** Receives each line, without its terminator. */
	interface LineHandler {

		/**
		 * A line; its bytes stay valid until {@link #endOfPiece()}.
		 * @param buffer the bytes
		 * @param offset where the line starts
		 * @param length its length
		 */
		void onLine(byte[] buffer, int offset, int length);

		/** The piece is read: the bytes of the lines passed on are about to be reused. */
		default void endOfPiece() {
		}

	}

	private final LineHandler handler;

	private final int maxLineLength;

	/** Grown on the first split line: most streams of single-piece events never need it. */
	private byte[] carry = new byte[0];

	private int carryLength;

	private boolean afterCarriageReturn;

	/** How many bytes of a leading byte-order mark matched so far; -1 once the start is past. */
	private int byteOrderMark;

	SseLineReader(LineHandler handler, int maxLineLength) {
		this.handler = handler;
		this.maxLineLength = maxLineLength;
	}

	/**
	 * Feed the next piece of the stream.
	 * @param buffer the bytes
	 * @param offset where the piece starts
	 * @param end where it ends (exclusive)
	 */
	void feed(byte[] buffer, int offset, int end) {
		int index = (this.byteOrderMark >= 0) ? skipByteOrderMark(buffer, offset, end) : offset;
		if (this.afterCarriageReturn) {
			this.afterCarriageReturn = false;
			if (index < end && buffer[index] == '\n') {
				index++;
			}
		}
		int lineStart = index;
		while (index < end) {
			index = LineEnds.next(buffer, index, end);
			if (index == end) {
				break;
			}
			byte b = buffer[index];
			if (b == '\n' || b == '\r') {
				emit(buffer, lineStart, index);
				if (b == '\r') {
					if (index + 1 < end) {
						if (buffer[index + 1] == '\n') {
							index++;
						}
					}
					else {
						this.afterCarriageReturn = true;
					}
				}
				lineStart = index + 1;
			}
			index++;
		}
		this.handler.endOfPiece();
		if (lineStart < end) {
			append(buffer, lineStart, end - lineStart);
		}
	}

	/**
	 * Whether the input so far ends inside a line. At the end of the input such a line is
	 * discarded with the event it belongs to.
	 * @return whether a partial line is pending
	 */
	boolean hasPartialLine() {
		return this.carryLength > 0;
	}

	private static final byte[] BYTE_ORDER_MARK = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	/** Drop a leading byte-order mark; bytes that only began like one are kept as text. */
	private int skipByteOrderMark(byte[] buffer, int offset, int end) {
		int index = offset;
		while (index < end && this.byteOrderMark < BYTE_ORDER_MARK.length) {
			if (buffer[index] != BYTE_ORDER_MARK[this.byteOrderMark]) {
				append(BYTE_ORDER_MARK, 0, this.byteOrderMark);
				this.byteOrderMark = -1;
				return index;
			}
			this.byteOrderMark++;
			index++;
		}
		if (this.byteOrderMark == BYTE_ORDER_MARK.length) {
			this.byteOrderMark = -1;
		}
		return index;
	}

	private void emit(byte[] buffer, int start, int end) {
		if (this.carryLength == 0) {
			this.handler.onLine(buffer, start, end - start);
			return;
		}
		append(buffer, start, end - start);
		int length = this.carryLength;
		this.carryLength = 0;
		this.handler.onLine(this.carry, 0, length);
	}

	private void append(byte[] buffer, int start, int length) {
		int needed = this.carryLength + length;
		if (needed > this.maxLineLength) {
			throw EventLimits.tooLarge(this.maxLineLength);
		}
		if (needed > this.carry.length) {
			this.carry = Arrays.copyOf(this.carry,
					Math.min(Math.max(Math.max(needed, 256), this.carry.length * 2), this.maxLineLength));
		}
		System.arraycopy(buffer, start, this.carry, this.carryLength, length);
		this.carryLength = needed;
	}

}
