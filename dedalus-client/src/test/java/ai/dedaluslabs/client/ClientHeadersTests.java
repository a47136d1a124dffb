package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's headers (the API key, the provider and its key, the user agent, configured extra
 * headers) reach the API, but not through Spring's request: an application's WebClient filters,
 * WebClient's observation and its request logging, which prints every header's value when request
 * details are logged, never see them. Nor does an open stream keep copies of its request's own
 * headers (content type, accept, idempotency key) in the request spec's header maps.
 */
@Timeout(60)
class ClientHeadersTests {

	private static final String KEY = "sk-headers-3c4d5e6f7a8b";

	private static final String PROVIDER_KEY = "sk-provider-9a8b7c6d";

	private final MockWebServer server = new MockWebServer();

	private final List<HttpHeaders> seenByFilter = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private DedalusClient.Builder builder() {
		return DedalusClient.builder()
			.apiKey(KEY)
			.baseUrl(this.server.url("/").toString())
			.provider("openai", PROVIDER_KEY)
			.header("X-Gateway-Token", "gateway-secret")
			.webClientBuilder(WebClient.builder().filter(ExchangeFilterFunction.ofRequestProcessor((request) -> {
				this.seenByFilter.add(request.headers());
				return Mono.just(request);
			})));
	}

	private RecordedRequest streamOnce(DedalusClient client) throws InterruptedException {
		this.server.enqueue(Sse.ok(Sse.answer("hi")));
		try (client) {
			client.chat()
				.completions()
				.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user("hi")).build())
				.blockLast(Duration.ofSeconds(10));
		}
		RecordedRequest recorded = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(recorded).isNotNull();
		return recorded;
	}

	@Test
	void theApiReceivesTheHeadersButSpringsRequestNeverCarriesThem() throws Exception {
		RecordedRequest recorded = streamOnce(builder().build());
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(recorded.getHeaders().get("X-Provider")).isEqualTo("openai");
		assertThat(recorded.getHeaders().get("X-Provider-Key")).isEqualTo(PROVIDER_KEY);
		assertThat(recorded.getHeaders().get("X-Gateway-Token")).isEqualTo("gateway-secret");
		assertThat(recorded.getHeaders().get("User-Agent")).startsWith("dedalus-java/");
		assertThat(recorded.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
		assertThat(recorded.getHeaders().get("Idempotency-Key")).isNotBlank();
		assertThat(recorded.getHeaders().get("Content-Length")).isEqualTo(Long.toString(recorded.getBodySize()));
		assertThat(this.seenByFilter).singleElement().satisfies((headers) -> {
			assertThat(headers.toString()).doesNotContain(KEY, PROVIDER_KEY, "gateway-secret");
			assertThat(headers.containsHeader("Authorization")).isFalse();
		});
	}

	@Test
	void withTheApplicationsOwnConnectorTheHeadersGoWithEachRequest() throws Exception {
		RecordedRequest recorded = streamOnce(builder().clientConnector(new ReactorClientHttpConnector()).build());
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(recorded.getHeaders().get("X-Provider-Key")).isEqualTo(PROVIDER_KEY);
		assertThat(recorded.getHeaders().get("X-Gateway-Token")).isEqualTo("gateway-secret");
	}

}
