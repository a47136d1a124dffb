package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Secrets}: every occurrence masked in bytes and text, at any position, and
 * nothing else touched.
 */
class SecretsTests {

	private final Secrets secrets = Secrets.of(Arrays.asList("sk-abcdefgh1234", "gateway-99887766", null, "short"));

	private String mask(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		this.secrets.maskInPlace(bytes, 0, bytes.length);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	@Test
	void everyOccurrenceIsMaskedWhereverItIs() {
		assertThat(mask("sk-abcdefgh1234")).isEqualTo("*".repeat(15));
		assertThat(mask("a sk-abcdefgh1234 b sk-abcdefgh1234sk-abcdefgh1234 gateway-99887766"))
			.isEqualTo("a " + "*".repeat(15) + " b " + "*".repeat(30) + " " + "*".repeat(16));
		assertThat(mask("{\"k\":\"gateway-99887766\"}")).isEqualTo("{\"k\":\"" + "*".repeat(16) + "\"}");
	}

	@Test
	void nearMissesAndShortValuesAreLeftAlone() {
		String text = "sk-abcdefgh123 sk-abcdefgh12345? short gateway-9988776 sk-Abcdefgh1234";
		assertThat(mask(text)).isEqualTo(text.replace("sk-abcdefgh1234", "*".repeat(15)));
		assertThat(mask("short")).isEqualTo("short");
	}

	@Test
	void onlyTheGivenRangeIsTouched() {
		byte[] bytes = "sk-abcdefgh1234|sk-abcdefgh1234".getBytes(StandardCharsets.UTF_8);
		this.secrets.maskInPlace(bytes, 16, 15);
		assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("sk-abcdefgh1234|" + "*".repeat(15));
	}

	@Test
	void randomTextWithPlantedSecretsIsMaskedExactly() {
		Random random = new Random(7);
		for (int round = 0; round < 500; round++) {
			StringBuilder text = new StringBuilder();
			StringBuilder expected = new StringBuilder();
			for (int piece = random.nextInt(12); piece > 0; piece--) {
				if (random.nextInt(4) == 0) {
					text.append("sk-abcdefgh1234");
					expected.append("*".repeat(15));
				}
				else {
					String filler = String.valueOf("sk-abcdefgh".charAt(random.nextInt(11)));
					text.append(filler);
					expected.append(filler);
				}
			}
			assertThat(mask(text.toString())).as("round %d: %s", round, text).isEqualTo(expected.toString());
		}
	}

	@Test
	void textIsMaskedWithAMarker() {
		assertThat(this.secrets.mask("key sk-abcdefgh1234.")).isEqualTo("key [REDACTED].");
		assertThat(this.secrets.mask(null)).isNull();
		assertThat(Secrets.none().mask("sk-abcdefgh1234")).isEqualTo("sk-abcdefgh1234");
	}

}
