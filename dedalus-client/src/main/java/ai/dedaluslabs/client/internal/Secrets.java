package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Masks the client's secrets (the API key, the provider key, every extra header value) in
 * everything that came from the upstream, before it can reach a log, an exception, a browser or a
 * front-end caller: a misconfigured gateway may echo the {@code Authorization} header back in an
 * error body or a stream event.
 *
 * <p>
 * Bytes are masked in place with {@code *} of the same length, so a JSON text stays valid and
 * no copy is made on the per-event path; text is masked with {@link #REDACTED}. Values shorter
 * than {@link #MIN_LENGTH} characters are left alone: they cannot be told from ordinary text, and
 * masking them would corrupt answers. Immutable and thread-safe.
 */
public final class Secrets {

	/** What a secret is replaced with in text. */
	public static final String REDACTED = "[REDACTED]";

	/** The shortest value treated as a secret. */
	public static final int MIN_LENGTH = 8;

	private static final Secrets NONE = new Secrets(List.of());

	private final byte[][] values;

	/**
	 * Per secret, how far the search may jump on the last two bytes of the window (Horspool on byte
	 * pairs, hashed into {@link #PAIRS} buckets). A key is made of letters and digits that are common
	 * in JSON too, so single bytes would allow only short jumps; pairs that occur in the key are
	 * rare in an event, so most events are skimmed in a few jumps of nearly the key's length.
	 */
	private final int[][] shifts;

	private static final int PAIRS = 4096;

	private final String[] texts;

	private Secrets(List<String> values) {
		this.texts = values.toArray(new String[0]);
		this.values = new byte[this.texts.length][];
		this.shifts = new int[this.texts.length][];
		for (int i = 0; i < this.texts.length; i++) {
			byte[] secret = this.texts[i].getBytes(StandardCharsets.UTF_8);
			int[] shift = new int[PAIRS];
			// A pair not in the key: the key may at most start at the pair's second byte.
			java.util.Arrays.fill(shift, secret.length - 1);
			// Later pairs overwrite earlier ones, so each bucket keeps the smallest (safe) jump.
			for (int j = 0; j < secret.length - 1; j++) {
				shift[pair(secret[j], secret[j + 1])] = secret.length - 2 - j;
			}
			this.values[i] = secret;
			this.shifts[i] = shift;
		}
	}

	/**
	 * The secrets to mask.
	 * @param values the secret values; {@code null}, blank and short ones are skipped
	 * @return the masker
	 */
	public static Secrets of(Collection<? extends @Nullable String> values) {
		List<String> kept = new ArrayList<>();
		for (String value : values) {
			if (value != null && value.strip().length() >= MIN_LENGTH && !kept.contains(value)) {
				kept.add(value);
			}
		}
		return kept.isEmpty() ? NONE : new Secrets(kept);
	}

	/**
	 * A masker with nothing to mask.
	 * @return the empty masker
	 */
	public static Secrets none() {
		return NONE;
	}

	/**
	 * Mask every secret in a byte range, in place.
	 * @param bytes the bytes
	 * @param offset the start
	 * @param length how many
	 * @return whether anything was masked
	 */
	public boolean maskInPlace(byte[] bytes, int offset, int length) {
		boolean masked = false;
		int end = offset + length;
		for (int s = 0; s < this.values.length; s++) {
			byte[] secret = this.values[s];
			int[] shift = this.shifts[s];
			int lastIndex = secret.length - 1;
			int at = offset;
			while (at <= end - secret.length) {
				int jump = shift[pair(bytes[at + lastIndex - 1], bytes[at + lastIndex])];
				if (jump == 0) {
					// The window ends with the key's last pair: compare, then move on by one at least.
					if (matches(bytes, at, secret)) {
						java.util.Arrays.fill(bytes, at, at + secret.length, (byte) '*');
						masked = true;
						at += secret.length;
						continue;
					}
					jump = 1;
				}
				at += jump;
			}
		}
		return masked;
	}

	/**
	 * Text with every secret replaced by {@link #REDACTED}.
	 * @param text the text, or {@code null}
	 * @return the masked text, or {@code null}
	 */
	public @Nullable String mask(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String masked = text;
		for (String secret : this.texts) {
			if (masked.contains(secret)) {
				masked = masked.replace(secret, REDACTED);
			}
		}
		return masked;
	}

	private static int pair(byte first, byte second) {
		return (((first & 0xFF) << 4) ^ (second & 0xFF)) & (PAIRS - 1);
	}

	private static boolean matches(byte[] bytes, int at, byte[] secret) {
		for (int j = 0; j < secret.length; j++) {
			if (bytes[at + j] != secret[j]) {
				return false;
			}
		}
		return true;
	}

}
