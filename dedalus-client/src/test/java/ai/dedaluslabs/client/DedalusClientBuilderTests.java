package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.Map;

import ai.dedaluslabs.client.error.DedalusException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DedalusClient.Builder}: validation, environment variables, and secrets kept
 * out of text.
 */
class DedalusClientBuilderTests {

	private static final String KEY = "sk-live-4b5c6d7e8f-secret";

	private static DedalusClient.Builder noEnvironment() {
		return new DedalusClient.Builder((name) -> null);
	}

	@Test
	void missingApiKeyNamesThePropertyAndVariable() {
		assertThatExceptionOfType(DedalusException.class).isThrownBy(() -> noEnvironment().build())
			.withMessageContaining("dedalus.api-key")
			.withMessageContaining("DEDALUS_API_KEY");
		assertThatExceptionOfType(DedalusException.class).isThrownBy(() -> noEnvironment().apiKey("  ").build())
			.withMessageContaining("dedalus.api-key");
	}

	@Test
	void environmentVariablesAreHonoured() {
		Map<String, String> environment = Map.of("DEDALUS_API_KEY", KEY, "DEDALUS_BASE_URL", "http://localhost:9999/");
		DedalusClientOptions options = new DedalusClient.Builder(environment::get).options();
		assertThat(options.apiKey()).isEqualTo(KEY);
		assertThat(options.baseUrl()).hasToString("http://localhost:9999");
	}

	@Test
	void explicitSettingsWinOverEnvironment() {
		Map<String, String> environment = Map.of("DEDALUS_API_KEY", "from-env", "DEDALUS_BASE_URL", "http://env:1");
		DedalusClientOptions options = new DedalusClient.Builder(environment::get).apiKey(KEY)
			.baseUrl("https://proxy.example.com")
			.options();
		assertThat(options.apiKey()).isEqualTo(KEY);
		assertThat(options.baseUrl()).hasToString("https://proxy.example.com");
	}

	@Test
	void defaults() {
		DedalusClientOptions options = noEnvironment().apiKey(KEY).options();
		assertThat(options.baseUrl()).hasToString("https://api.dedaluslabs.ai");
		assertThat(options.defaultModel()).isEqualTo("openai/gpt-5-nano");
		assertThat(options.maxEventSize()).isEqualTo(8 * 1024 * 1024);
		assertThat(options.maxRetries()).isEqualTo(2);
		assertThat(options.includeUsage()).isTrue();
		assertThat(options.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
				Duration.ofSeconds(120), null));
		assertThat(options.pool().maxConnections()).isGreaterThanOrEqualTo(2000);
	}

	@Test
	void baseUrlEndingInV1OrSlashIsNormalised() {
		assertThat(noEnvironment().apiKey(KEY).baseUrl("https://api.dedaluslabs.ai/v1/").options().baseUrl())
			.hasToString("https://api.dedaluslabs.ai");
		assertThat(noEnvironment().apiKey(KEY).baseUrl("http://localhost:8080/dedalus/").options().baseUrl())
			.hasToString("http://localhost:8080/dedalus");
	}

	@Test
	void malformedBaseUrlsNameTheProperty() {
		for (String bad : new String[] { "not a url", "api.dedaluslabs.ai", "ftp://api.dedaluslabs.ai",
				"https://", "https://api.dedaluslabs.ai/?key=1" }) {
			assertThatExceptionOfType(DedalusException.class)
				.isThrownBy(() -> noEnvironment().apiKey(KEY).baseUrl(bad).build())
				.as(bad)
				.withMessageContaining("dedalus.base-url");
		}
	}

	@Test
	void impossibleSettingsNameTheirProperty() {
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> noEnvironment().apiKey(KEY).maxRetries(-1).build())
			.withMessageContaining("dedalus.max-retries");
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> noEnvironment().apiKey(KEY).maxEventSize(10).build())
			.withMessageContaining("dedalus.max-event-size");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Timeouts.DEFAULTS.withIdle(Duration.ZERO))
			.withMessageContaining("dedalus.timeout.idle");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new PoolSettings(0, 1, Duration.ofSeconds(1)))
			.withMessageContaining("dedalus.pool.max-connections");
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> noEnvironment().apiKey(KEY).defaultModel(" ").build())
			.withMessageContaining("dedalus.default-model");
	}

	@Test
	void keyWithLineBreakIsRefusedWithoutQuotingIt() {
		assertThatExceptionOfType(DedalusException.class)
			.isThrownBy(() -> noEnvironment().apiKey(KEY + "\nX-Injected: 1").build())
			.withMessageContaining("dedalus.api-key")
			.withMessageNotContaining(KEY);
	}

	@Test
	void secretsNeverAppearInToString() {
		try (DedalusClient client = noEnvironment().apiKey(KEY)
			.provider("anthropic", "sk-ant-provider-secret")
			.header("X-Gateway-Token", "gateway-secret")
			.build()) {
			String text = client.toString() + client.options();
			assertThat(text).doesNotContain(KEY)
				.doesNotContain("sk-ant-provider-secret")
				.doesNotContain("gateway-secret")
				.contains("X-Gateway-Token")
				.contains("anthropic");
		}
	}

	@Test
	void closeIsIdempotent() {
		DedalusClient client = noEnvironment().apiKey(KEY).build();
		client.close();
		client.close();
		assertThat(client.toString()).contains("api.dedaluslabs.ai");
	}

}
