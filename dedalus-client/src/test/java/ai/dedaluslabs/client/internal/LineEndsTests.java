package ai.dedaluslabs.client.internal;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LineEnds}: the word-at-a-time search agrees with a byte-by-byte one on every
 * start position of random inputs rich in line ends and bytes next to them in value.
 */
class LineEndsTests {

	@Test
	void findsTheSameLineEndAsAByteByByteScan() {
		Random random = new Random(42);
		byte[] alphabet = { '\n', '\r', '\t', 0x0B, 0x0C, 0x0E, 'a', ' ', (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, 0 };
		for (int round = 0; round < 2_000; round++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = (random.nextInt(4) == 0) ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
			}
			for (int from = 0; from <= bytes.length; from++) {
				assertThat(LineEnds.next(bytes, from, bytes.length)).isEqualTo(naive(bytes, from, bytes.length));
			}
		}
	}

	private static int naive(byte[] bytes, int from, int end) {
		for (int i = from; i < end; i++) {
			if (bytes[i] == '\n' || bytes[i] == '\r') {
				return i;
			}
		}
		return end;
	}

}
