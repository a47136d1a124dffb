package ai.dedaluslabs.spring.web.resume;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stream ids: 128 random bits in hex. An id is a capability (who knows it can read the answer),
 * so it must not be guessable; a stream started by an authenticated user is bound to that user
 * besides.
 */
final class StreamIds {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int LENGTH = 32;

	private StreamIds() {
	}

	static String next() {
		byte[] bytes = new byte[LENGTH / 2];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	static boolean isWellFormed(String id) {
		if (id.length() != LENGTH) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

}
