package ai.dedaluslabs.spring.autoconfigure;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DedalusSanitizingFunction}.
 */
class DedalusSanitizingFunctionTests {

	private final DedalusSanitizingFunction function = new DedalusSanitizingFunction(() -> Set.of("sk-secret-123456"));

	private Object sanitized(String key, Object value) {
		return this.function.apply(new SanitizableData(new MapPropertySource("test", java.util.Map.of()), key, value))
			.getValue();
	}

	@Test
	void masksEveryNameTheKeyAppearsUnder() {
		for (String key : new String[] { "dedalus.api-key", "dedalus.apiKey", "DEDALUS_API_KEY", "dedalus.provider-key",
				"DEDALUS_PROVIDER_KEY", "dedalus.headers.X-Token", "apiKey", "providerKey", "headers.X-Token" }) {
			assertThat(sanitized(key, "anything")).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
		}
	}

	@Test
	void masksTheSecretUnderAnyOtherName() {
		assertThat(sanitized("sun.java.command", "app.jar --dedalus.api-key=sk-secret-123456"))
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitized("MY_OWN_VARIABLE", "sk-secret-123456")).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void leavesOtherValuesAlone() {
		assertThat(sanitized("dedalus.base-url", "https://api.dedaluslabs.ai")).isEqualTo("https://api.dedaluslabs.ai");
		assertThat(sanitized("dedalus.default-model", "openai/gpt-5-nano")).isEqualTo("openai/gpt-5-nano");
	}

}
