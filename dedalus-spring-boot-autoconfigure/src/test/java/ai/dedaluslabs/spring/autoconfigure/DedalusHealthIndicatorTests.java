package ai.dedaluslabs.spring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import ai.dedaluslabs.client.DedalusClient;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DedalusHealthIndicator}.
 */
@Timeout(60)
class DedalusHealthIndicatorTests {

	private final MockWebServer server = new MockWebServer();

	private DedalusClient client;

	private final MutableClock clock = new MutableClock();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder().apiKey("sk-health-secret").baseUrl(this.server.url("/").toString()).build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private DedalusHealthIndicator indicator() {
		return new DedalusHealthIndicator(this.client, Duration.ofSeconds(30), this.clock);
	}

	@Test
	void upWhenModelsAreListed() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"data\":[{\"id\":\"openai/gpt-5-nano\"},{\"id\":\"anthropic/claude-haiku-4\"}]}")
			.build());
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("models", 2);
	}

	@Test
	void downOnErrorWithoutRetryAndWithoutTheKey() {
		this.server.enqueue(TestStreams.status(503));
		this.server.enqueue(TestStreams.status(503));
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("status", 503);
		assertThat(health.toString()).doesNotContain("sk-health-secret");
		assertThat(this.server.getRequestCount()).as("a health check is not retried").isEqualTo(1);
	}

	@Test
	void resultIsCached() {
		this.server.enqueue(TestStreams.status(500));
		this.server.enqueue(new MockResponse.Builder().code(200).body("{\"data\":[]}").build());
		DedalusHealthIndicator indicator = indicator();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-24T12:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
