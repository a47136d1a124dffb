package ai.dedaluslabs.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the next {@code \n} or {@code \r} eight bytes at a time: each step reads a {@code long}
 * and tests all its bytes at once (the classic "has a zero byte" bit trick on the bytes XOR the
 * line-end byte), which is what makes line splitting cheap on the per-chunk path.
 */
final class LineEnds {

	/** Eight bytes of an array as one little-endian {@code long}; shared with {@link FastChunkParser}. */
	static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	static final long ONES = 0x0101010101010101L;

	static final long HIGHS = 0x8080808080808080L;

	private static final long LF = ONES * '\n';

	private static final long CR = ONES * '\r';

	private LineEnds() {
	}

	/**
	 * The position of the next {@code \n} or {@code \r}.
	 * @param buffer the bytes
	 * @param from where to start
	 * @param end where to stop (exclusive)
	 * @return the position, or {@code end} when there is none
	 */
	static int next(byte[] buffer, int from, int end) {
		int index = from;
		while (index + 8 <= end) {
			long word = (long) LONGS.get(buffer, index);
			long found = zeroBytes(word ^ LF) | zeroBytes(word ^ CR);
			if (found != 0) {
				// Little-endian: the lowest flagged byte is the first in memory, and is never a false positive.
				return index + (Long.numberOfTrailingZeros(found) >>> 3);
			}
			index += 8;
		}
		while (index < end) {
			byte b = buffer[index];
			if (b == '\n' || b == '\r') {
				return index;
			}
			index++;
		}
		return end;
	}

	/** The high bit of each byte that is zero in {@code value}; the lowest one flagged is exact. */
	static long zeroBytes(long value) {
		return (value - ONES) & ~value & HIGHS;
	}

}
