package ai.dedaluslabs.spring.autoconfigure;

import java.time.Duration;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.BadRequestException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of the meters a Spring Boot application sees after real exchanges with a scripted API.
 */
@Timeout(60)
class DedalusMetricsTests {

	private static final Tags MODELS = Tags.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "dedalus",
			"gen_ai.request.model", "openai/gpt-5-nano", "gen_ai.response.model", "openai/gpt-5-nano-2025");

	private final MockWebServer server = new MockWebServer();

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class))
			.withPropertyValues("dedalus.api-key=sk-metrics", "dedalus.base-url=" + this.server.url("/"));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("How many tokens?")).build();
	}

	@Test
	void streamedCallRecordsUsageDurationFirstChunkAndOutcome() {
		this.server.enqueue(TestStreams.answer(42, "one", " two", " three"));
		this.contextRunner.run((context) -> {
			context.getBean(DedalusClient.class).chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(tokens(registry, "input").totalAmount()).isEqualTo(42);
			assertThat(tokens(registry, "input").count()).isEqualTo(1);
			assertThat(tokens(registry, "output").totalAmount()).isEqualTo(3);
			Timer duration = registry.get("gen_ai.client.operation.duration").tags(MODELS).tag("error.type", "none").timer();
			assertThat(duration.count()).isEqualTo(1);
			assertThat(registry.get("gen_ai.client.operation.time_to_first_chunk").tags(MODELS).timer().count())
				.isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams").tags(MODELS).tag("outcome", "completed").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams.active").gauge().value()).isZero();
		});
	}

	@Test
	void anOperationIsTimedOnceAndBootsHandlerKeepsEveryOtherObservation() {
		this.server.enqueue(TestStreams.answer(4, "once"));
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			ObservationRegistry observations = context.getBean(ObservationRegistry.class);
			var open = context.getBean(DedalusClient.class).chat().completions().stream(request()).limitRate(1).delayElements(Duration.ofHours(1))
				.subscribe();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("dedalus.client.streams.active").gauge().value() == 1);
			assertThat(registry.find("gen_ai.client.operation.active").longTaskTimer())
				.as("Boot's generic active-operation timer beside dedalus.client.streams.active").isNull();
			open.dispose();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("dedalus.client.streams.active").gauge().value() == 0);
			assertThat(registry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(1);
			assertThat(registry.find("gen_ai.client.operation").timer())
				.as("a second timer of the same duration, from Boot's generic handler").isNull();
			Observation.createNotStarted("shop.checkout", observations).observe(() -> {
			});
			assertThat(registry.get("shop.checkout").timer().count()).as("Boot's handler, for any other observation")
				.isEqualTo(1);
		});
	}

	@Test
	void metersAreRecordedWithoutBootsObservationSupport() {
		this.server.enqueue(TestStreams.answer(6, "alone"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("dedalus.api-key=sk-metrics", "dedalus.base-url=" + this.server.url("/"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationRegistry.class);
				context.getBean(DedalusClient.class).chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(tokens(registry, "input").totalAmount()).isEqualTo(6);
				assertThat(registry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(1);
				assertThat(registry.get("dedalus.client.streams").tag("outcome", "completed").counter().count())
					.isEqualTo(1);
			});
	}

	@Test
	void blockingCallRecordsUsageAndDuration() {
		this.server.enqueue(TestStreams.completion(7, 5));
		this.contextRunner.run((context) -> {
			context.getBean(DedalusClient.class).chat().completions().create(request());
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(tokens(registry, "input").totalAmount()).isEqualTo(7);
			assertThat(tokens(registry, "output").totalAmount()).isEqualTo(5);
			assertThat(registry.get("gen_ai.client.operation.duration").tag("error.type", "none").timer().count())
				.isEqualTo(1);
			assertThat(registry.find("dedalus.client.streams").counter()).as("not a stream").isNull();
			assertThat(registry.find("gen_ai.client.operation.time_to_first_chunk").timer()).isNull();
		});
	}

	@Test
	void errorIsRecordedWithItsType() {
		this.server.enqueue(TestStreams.status(400));
		this.contextRunner.run((context) -> {
			DedalusClient client = context.getBean(DedalusClient.class);
			assertThatExceptionOfType(BadRequestException.class)
				.isThrownBy(() -> client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10)));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Timer duration = registry.get("gen_ai.client.operation.duration")
				.tag("error.type", "BadRequestException")
				.tag("gen_ai.response.model", "unknown")
				.timer();
			assertThat(duration.count()).isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams").tag("outcome", "error").counter().count()).isEqualTo(1);
			assertThat(registry.find("gen_ai.client.token.usage").summary()).isNull();
		});
	}

	@Test
	void operationsWithTheSameTagsAddUpAndAnotherOutcomeGetsItsOwnMeters() {
		this.server.enqueue(TestStreams.answer(42, "one", " two", " three"));
		this.server.enqueue(TestStreams.answer(10, "four"));
		this.server.enqueue(TestStreams.endless());
		this.contextRunner.run((context) -> {
			DedalusClient client = context.getBean(DedalusClient.class);
			client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
			client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
			assertThat(client.chat().completions().stream(request()).take(2).count().block(Duration.ofSeconds(10)))
				.isEqualTo(2);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(tokens(registry, "input").totalAmount()).isEqualTo(52);
			assertThat(tokens(registry, "input").count()).isEqualTo(2);
			assertThat(tokens(registry, "output").totalAmount()).isEqualTo(4);
			assertThat(registry.get("gen_ai.client.operation.duration").tags(MODELS).tag("error.type", "none").timer().count())
				.isEqualTo(2);
			assertThat(registry.get("gen_ai.client.operation.duration").tag("error.type", "cancelled").timer().count())
				.isEqualTo(1);
			// Without error.type: one timer for all three, the cancelled stream had its first chunk too.
			assertThat(registry.get("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(3);
			assertThat(registry.get("dedalus.client.streams").tags(MODELS).tag("outcome", "completed").counter().count())
				.isEqualTo(2);
			assertThat(registry.get("dedalus.client.streams").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams").counters()).hasSize(2);
		});
	}

	@Test
	void cancelledStreamIsCountedOnceWithoutUsage() {
		this.server.enqueue(TestStreams.endless());
		this.contextRunner.run((context) -> {
			DedalusClient client = context.getBean(DedalusClient.class);
			assertThat(client.chat().completions().stream(request()).take(5).count().block(Duration.ofSeconds(10)))
				.isEqualTo(5);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("dedalus.client.streams").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams").counters()).hasSize(1);
			assertThat(registry.get("gen_ai.client.operation.duration").tag("error.type", "cancelled").timer().count())
				.isEqualTo(1);
			assertThat(registry.find("gen_ai.client.token.usage").summary()).isNull();
			assertThat(registry.get("dedalus.client.streams.active").gauge().value()).isZero();
		});
	}

	@Test
	void retriesCountTheOperationOnce() {
		this.server.enqueue(TestStreams.status(503, "retry-after-ms", "0"));
		this.server.enqueue(TestStreams.status(503, "retry-after-ms", "0"));
		this.server.enqueue(TestStreams.answer(3, "ok"));
		this.contextRunner.run((context) -> {
			context.getBean(DedalusClient.class).chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(this.server.getRequestCount()).isEqualTo(3);
			assertThat(registry.get("gen_ai.client.operation.duration").timers()).hasSize(1);
			assertThat(registry.get("gen_ai.client.operation.duration").timer().count()).isEqualTo(1);
			assertThat(registry.get("dedalus.client.streams").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void activeStreamsGaugeCountsOpenStreams() {
		this.server.enqueue(TestStreams.endless());
		this.contextRunner.run((context) -> {
			DedalusClient client = context.getBean(DedalusClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			var subscription = client.chat().completions().stream(request()).limitRate(1).delayElements(Duration.ofHours(1))
				.subscribe();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("dedalus.client.streams.active").gauge().value() == 1);
			subscription.dispose();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.get("dedalus.client.streams.active").gauge().value() == 0);
		});
	}

	@Test
	void tokenUsageHasTheGenAiBuckets() {
		this.server.enqueue(TestStreams.answer(5, "x"));
		this.contextRunner.run((context) -> {
			context.getBean(DedalusClient.class).chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
			DistributionSummary summary = tokens(context.getBean(MeterRegistry.class), "input");
			assertThat(summary.getId().getBaseUnit()).isEqualTo("{token}");
			assertThat(summary.takeSnapshot().histogramCounts()).extracting((bucket) -> bucket.bucket())
				.startsWith(1.0, 4.0, 16.0, 64.0)
				.endsWith(67108864.0);
		});
	}

	@Test
	void prometheusAcceptsEveryMeter() {
		this.server.enqueue(TestStreams.answer(5, "x"));
		this.server.enqueue(TestStreams.status(400));
		this.server.enqueue(TestStreams.completion(1, 1));
		this.contextRunner.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.run((context) -> {
				DedalusClient client = context.getBean(DedalusClient.class);
				client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
				try {
					client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
				}
				catch (BadRequestException expected) {
					// recorded with error.type
				}
				client.chat().completions().create(request());
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(scrape).contains("gen_ai_client_token_usage")
					.contains("gen_ai_client_operation_duration_seconds")
					.contains("gen_ai_client_operation_time_to_first_chunk_seconds")
					.contains("dedalus_client_streams_total")
					.contains("dedalus_client_streams_active")
					.contains("error_type=\"BadRequestException\"")
					.contains("gen_ai_token_type=\"input\"");
				assertThat(context.getBean(PrometheusMeterRegistry.class).getMeters())
					.extracting((Meter meter) -> meter.getId().getName())
					.contains("gen_ai.client.token.usage");
			});
	}

	private static DistributionSummary tokens(MeterRegistry registry, String type) {
		return registry.get("gen_ai.client.token.usage").tags(MODELS).tag("gen_ai.token.type", type).summary();
	}

}
