package ai.dedaluslabs.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.DedalusClientOptions;
import ai.dedaluslabs.client.PoolSettings;
import ai.dedaluslabs.client.Timeouts;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DedalusAutoConfiguration}.
 */
class DedalusAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusMetricsAutoConfiguration.class,
				DedalusHealthAutoConfiguration.class, WebClientAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void createsClientWithDefaults() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-auto-1").run((context) -> {
			assertThat(context).hasSingleBean(DedalusClient.class);
			DedalusClientOptions options = context.getBean(DedalusClient.class).options();
			assertThat(options.apiKey()).isEqualTo("sk-auto-1");
			assertThat(options.baseUrl()).hasToString("https://api.dedaluslabs.ai");
			assertThat(options.defaultModel()).isEqualTo("openai/gpt-5-nano");
			assertThat(options.maxRetries()).isEqualTo(2);
			assertThat(options.maxEventSize()).isEqualTo(8 * 1024 * 1024);
			assertThat(options.timeouts()).isEqualTo(Timeouts.DEFAULTS);
			assertThat(options.pool()).isEqualTo(PoolSettings.DEFAULTS);
			assertThat(options.includeUsage()).isTrue();
			assertThat(options.http2()).isFalse();
		});
	}

	@Test
	void bindsEveryPropertyToTheClient() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-auto-2", "dedalus.base-url=http://localhost:9/v1",
				"dedalus.default-model=anthropic/claude-haiku-4", "dedalus.provider=openai",
				"dedalus.provider-key=sk-prov", "dedalus.headers.X-Team=docs", "dedalus.max-retries=5",
				"dedalus.max-event-size=1MB", "dedalus.http2=true", "dedalus.stream.include-usage=false",
				"dedalus.timeout.connect=3s", "dedalus.timeout.response=20s", "dedalus.timeout.idle=5m",
				"dedalus.timeout.total=10m", "dedalus.pool.max-connections=100", "dedalus.pool.max-pending-acquires=50",
				"dedalus.pool.max-idle-time=5s")
			.run((context) -> {
				DedalusClientOptions options = context.getBean(DedalusClient.class).options();
				assertThat(options.baseUrl()).hasToString("http://localhost:9");
				assertThat(options.defaultModel()).isEqualTo("anthropic/claude-haiku-4");
				assertThat(options.provider()).isEqualTo("openai");
				assertThat(options.providerKey()).isEqualTo("sk-prov");
				assertThat(options.headers()).containsEntry("X-Team", "docs");
				assertThat(options.maxRetries()).isEqualTo(5);
				assertThat(options.maxEventSize()).isEqualTo(1024 * 1024);
				assertThat(options.http2()).isTrue();
				assertThat(options.includeUsage()).isFalse();
				assertThat(options.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(20),
						Duration.ofMinutes(5), Duration.ofMinutes(10)));
				assertThat(options.pool()).isEqualTo(new PoolSettings(100, 50, Duration.ofSeconds(5)));
			});
	}

	@Test
	void readsTheSdkEnvironmentVariables() {
		this.contextRunner.withPropertyValues("DEDALUS_API_KEY=sk-from-env", "DEDALUS_BASE_URL=http://localhost:7")
			.run((context) -> {
				DedalusClientOptions options = context.getBean(DedalusClient.class).options();
				assertThat(options.apiKey()).isEqualTo("sk-from-env");
				assertThat(options.baseUrl()).hasToString("http://localhost:7");
			});
	}

	@Test
	void propertyWinsOverEnvironmentVariable() {
		this.contextRunner.withPropertyValues("DEDALUS_API_KEY=sk-from-env", "dedalus.api-key=sk-from-property")
			.run((context) -> assertThat(context.getBean(DedalusClient.class).options().apiKey())
				.isEqualTo("sk-from-property"));
	}

	@Test
	void backsOffWhenUserDefinesClient() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DedalusClient.class);
			assertThat(context.getBean(DedalusClient.class).options().apiKey()).isEqualTo("sk-user");
		});
	}

	@Test
	void appliesCustomizersInOrder() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-auto-3")
			.withUserConfiguration(CustomizersConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(CustomizersConfiguration.class).applied).containsExactly("first", "second");
				assertThat(context.getBean(DedalusClient.class).options().defaultModel()).isEqualTo("second/model");
			});
	}

	@Test
	void usesTheWebClientBuilderFromTheContext() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			RecordedRequest recorded = streamOnce(server, this.contextRunner
				.withPropertyValues("dedalus.api-key=sk-auto-4", "dedalus.base-url=" + server.url("/"))
				.withUserConfiguration(FilteringWebClientConfiguration.class),
					(context) -> assertThat(context.getBean(FilteringWebClientConfiguration.class).filtered).hasValue(1));
			assertThat(recorded.getHeaders().get("X-From-Filter")).isEqualTo("yes");
		}
	}

	@Test
	void asksForResponsesUncompressedAsTheClientDoesWithoutBoot() throws Exception {
		// Boot's connector builder asks for gzip by default; a compressing upstream would hold tokens back.
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			RecordedRequest recorded = streamOnce(server,
					this.contextRunner.withPropertyValues("dedalus.api-key=sk-auto-6", "dedalus.base-url=" + server.url("/")),
					(context) -> {
					});
			assertThat(recorded.getHeaders().get("Accept-Encoding")).isNull();
		}
	}

	/** One stream of one chunk through the context's client (the server started); the request it received. */
	private static RecordedRequest streamOnce(MockWebServer server, ApplicationContextRunner runner,
			ContextConsumer<AssertableApplicationContext> andThen) throws Exception {
		server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/event-stream")
			.body("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
			.build());
		runner.run((context) -> {
			List<ChatCompletionChunk> chunks = context.getBean(DedalusClient.class)
				.chat()
				.completions()
				.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user("hi")).build())
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(chunks).hasSize(1);
			andThen.accept(context);
		});
		RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(recorded).isNotNull();
		return recorded;
	}

	@Test
	void closesTheClientWithTheContext() {
		List<DedalusClient> clients = new ArrayList<>();
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-auto-5")
			.run((context) -> clients.add(context.getBean(DedalusClient.class)));
		assertThat(clients).singleElement().satisfies((client) -> assertThat(client.isClosed()).isTrue());
	}

	@Test
	void worksInServletReactiveAndNonWebApplications() {
		AutoConfigurations configurations = AutoConfigurations.of(DedalusAutoConfiguration.class,
				WebClientAutoConfiguration.class, JacksonAutoConfiguration.class);
		new WebApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues("dedalus.api-key=sk-web")
			.run((context) -> assertThat(context).hasSingleBean(DedalusClient.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues("dedalus.api-key=sk-reactive")
			.run((context) -> assertThat(context).hasSingleBean(DedalusClient.class));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class))
			.withPropertyValues("dedalus.api-key=sk-plain")
			.run((context) -> assertThat(context).hasSingleBean(DedalusClient.class));
	}

	@Test
	void startsWithoutActuatorMicrometerAndBootHttpClient() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-x", "management.health.dedalus.enabled=true")
			.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
					org.springframework.boot.actuate.endpoint.SanitizingFunction.class,
					org.springframework.boot.health.contributor.HealthIndicator.class,
					io.micrometer.core.instrument.MeterRegistry.class,
					org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(DedalusClient.class);
				assertThat(context).doesNotHaveBean(DedalusSanitizingFunction.class);
				assertThat(context).doesNotHaveBean(DedalusHealthIndicator.class);
			});
	}

	@Test
	void missingApiKeyFailsStartupNamingTheProperty() {
		this.contextRunner.run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("dedalus.api-key").contains("DEDALUS_API_KEY");
			assertThat(analysis.getAction()).contains("dedalus.api-key").contains("dedalus.enabled=false");
		});
	}

	@Test
	void malformedBaseUrlFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-x", "dedalus.base-url=api.dedaluslabs.ai")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("dedalus.base-url").contains("api.dedaluslabs.ai");
				assertThat(analysis.getAction()).contains("absolute http(s) URL");
			});
	}

	@Test
	void impossibleSettingsFailStartupNamingTheProperty() {
		String[][] cases = { { "dedalus.max-retries=-1", "dedalus.max-retries" },
				{ "dedalus.timeout.idle=0s", "dedalus.timeout.idle" },
				{ "dedalus.pool.max-connections=0", "dedalus.pool.max-connections" },
				{ "dedalus.max-event-size=100B", "dedalus.max-event-size" },
				{ "dedalus.ssl.bundle=missing", "dedalus.ssl.bundle" } };
		for (String[] bad : cases) {
			this.contextRunner.withPropertyValues("dedalus.api-key=sk-x", bad[0]).run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).as(bad[0]).contains(bad[1]);
				assertThat(analysis.getAction()).as(bad[0]).contains(bad[1]);
			});
		}
	}

	@Test
	void disabledMeansNoBeanAndNoKeyCheck() {
		this.contextRunner.withPropertyValues("dedalus.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DedalusClient.class);
			assertThat(context).doesNotHaveBean(DedalusSanitizingFunction.class);
		});
	}

	@Test
	void nothingWhenTheAutoConfigurationIsExcluded() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DedalusClient.class);
			});
	}

	@Test
	void noMetricsWithoutAMeterRegistry() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-x")
			.run((context) -> assertThat(context).doesNotHaveBean(DedalusMeterObservationHandler.class));
	}

	@Test
	void healthIndicatorIsOptIn() {
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-x")
			.run((context) -> assertThat(context).doesNotHaveBean(DedalusHealthIndicator.class));
		this.contextRunner.withPropertyValues("dedalus.api-key=sk-x", "management.health.dedalus.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DedalusHealthIndicator.class));
	}

	@Test
	void proxyEndpointIsOffUnlessEnabled() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusSseAutoConfiguration.class,
					ai.dedaluslabs.spring.autoconfigure.DedalusProxyAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withPropertyValues("dedalus.api-key=sk-x");
		web.run((context) -> {
			assertThat(context).hasSingleBean(ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder.class);
			assertThat(context).hasSingleBean(ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder.class);
			assertThat(context).doesNotHaveBean(ai.dedaluslabs.spring.proxy.DedalusProxy.class);
		});
		web.withPropertyValues("dedalus.proxy.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(ai.dedaluslabs.spring.proxy.DedalusProxy.class));
	}

	@Test
	void runtimeHintsCoverTheWireModel() {
		RuntimeHints hints = new RuntimeHints();
		new DedalusRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (Class<?> type : DedalusRuntimeHints.WIRE_TYPES) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(type)
				.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS))
				.as(type.getName())
				.accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onType(ChatCompletionChunk.Delta.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(org.springframework.aot.hint.TypeReference.of("ai.dedaluslabs.client.chat.ModelSpecDeserializer"))
			.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new DedalusFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysed").isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		DedalusClient userClient() {
			return DedalusClient.builder().apiKey("sk-user").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		final List<String> applied = new ArrayList<>();

		@Bean
		@Order(2)
		DedalusClientCustomizer second() {
			return (builder) -> {
				this.applied.add("second");
				builder.defaultModel("second/model");
			};
		}

		@Bean
		@Order(1)
		DedalusClientCustomizer first() {
			return (builder) -> {
				this.applied.add("first");
				builder.defaultModel("first/model");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FilteringWebClientConfiguration {

		final AtomicInteger filtered = new AtomicInteger();

		@Bean
		org.springframework.boot.webclient.WebClientCustomizer recordingCustomizer() {
			return (builder) -> builder.filter((request, next) -> {
				this.filtered.incrementAndGet();
				return next.exchange(org.springframework.web.reactive.function.client.ClientRequest.from(request)
					.header("X-From-Filter", "yes")
					.build());
			});
		}

	}

}
