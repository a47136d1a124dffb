package ai.dedaluslabs.spring.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token budgets on the endpoint, run on Spring MVC and WebFlux by the subclasses: a budget of 100
 * tokens per hour and completions of at most 50. Each test is its own caller, named by
 * {@code X-Forwarded-For} (the applications trust it, as one behind a load balancer does), so the
 * tests' budgets never mix.
 */
@Timeout(60)
abstract class ProxyBudgetTests {

	@Autowired
	DedalusMockServer dedalus;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	HttpResponse<String> post(String caller, String body) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/dedalus/v1/chat/completions"))
				.header("Content-Type", "application/json")
				.header("X-Forwarded-For", caller)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String chat(boolean stream, String content) {
		return "{\"model\":\"openai/gpt-5-nano\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
				+ content + "\"}]}";
	}

	double tokens(String outcome, String source) {
		Counter counter = this.meters.find("dedalus.proxy.tokens").tag("outcome", outcome).tag("source", source).counter();
		return (counter != null) ? counter.count() : 0;
	}

	void awaitTokens(String outcome, String source, double atLeast) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tokens(outcome, source) >= atLeast);
	}

	@Test
	void reportedUsageIsChargedAndASpentBudgetIsRefusedWithRetryAfter() throws Exception {
		double before = tokens("completed", "reported");
		this.dedalus.enqueue(StreamScript.create().text("first answer").usage(30, 40));
		assertThat(post("10.1.0.1", chat(true, "Hi")).statusCode()).isEqualTo(200);
		awaitTokens("completed", "reported", before + 70);
		this.dedalus.enqueue(MockReply.completion("second answer").usage(20, 20));
		assertThat(post("10.1.0.1", chat(false, "Hi")).statusCode()).as("70 of 100 spent").isEqualTo(200);
		awaitTokens("completed", "reported", before + 110);

		int sent = this.dedalus.requestCount();
		HttpResponse<String> refused = post("10.1.0.1", chat(true, "Hi"));
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.body()).contains("\"code\":\"token_budget_exceeded\"")
			.contains("\"type\":\"rate_limit_error\"")
			.contains("100 tokens per 1h");
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 3600L));
		assertThat(this.dedalus.requestCount()).as("nothing sent upstream").isEqualTo(sent);

		this.dedalus.enqueue(MockReply.completion("another caller"));
		assertThat(post("10.1.0.99", chat(false, "Hi")).statusCode()).as("another caller's budget").isEqualTo(200);
	}

	@Test
	void aStreamAbortedBeforeItsUsageIsChargedAnEstimateNotNothing() throws Exception {
		double before = tokens("cancelled", "estimated");
		// About 200 tokens of input by the estimate: more than the whole budget.
		String question = "Why? ".repeat(160);
		this.dedalus.enqueue(StreamScript.create().text("Once upon a time").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(20)));
		try (RawHttpAccess caller = RawHttpAccess.withHeaders(this.port, chat(true, question), "X-Forwarded-For",
				"10.1.0.2")) {
			caller.readUntil("\"content\":\"Once\"");
		}
		awaitTokens("cancelled", "estimated", before + 200);
		HttpResponse<String> refused = post("10.1.0.2", chat(true, "Hi"));
		assertThat(refused.statusCode()).as("the abort was charged").isEqualTo(429);
		assertThat(refused.body()).contains("\"code\":\"token_budget_exceeded\"");
	}

	@Test
	void anUpstreamRefusalIsNotCharged() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.dedalus.enqueue(MockReply.error(400).message("Bad").code("invalid"));
			assertThat(post("10.1.0.3", chat(true, "Why? ".repeat(160))).statusCode()).isEqualTo(400);
		}
		this.dedalus.enqueue(MockReply.completion("still within budget"));
		assertThat(post("10.1.0.3", chat(false, "Hi")).statusCode()).isEqualTo(200);
	}

	@Test
	void theBudgetAppliesToStreamsTheApplicationStartsItself() {
		// DedalusProxy.streamFor, as the sample app's chat page uses it.
		DedalusProxy proxy = proxy();
		double before = tokens("completed", "reported");
		this.dedalus.enqueue(StreamScript.create().text("spend it all").usage(60, 50));
		proxy.streamFor(ai.dedaluslabs.client.chat.ChatCompletionRequest.builder()
			.model("openai/gpt-5-nano")
			.addMessage(ai.dedaluslabs.client.chat.ChatMessage.user("Hi"))
			.build(), "address:10.1.0.4").blockLast(Duration.ofSeconds(10));
		// Settled as the stream ends, just after its last signal.
		awaitTokens("completed", "reported", before + 110);
		Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(() -> proxy
			.streamFor(ai.dedaluslabs.client.chat.ChatCompletionRequest.builder()
				.model("openai/gpt-5-nano")
				.addMessage(ai.dedaluslabs.client.chat.ChatMessage.user("Hi"))
				.build(), "address:10.1.0.4")
			.blockLast(Duration.ofSeconds(10)));
		assertThat(refusal).isInstanceOf(ai.dedaluslabs.spring.web.RequestRefusedException.class);
		assertThat(((ai.dedaluslabs.spring.web.RequestRefusedException) refusal).body().code())
			.isEqualTo("token_budget_exceeded");
	}

	@Test
	void anyStreamCanRunUnderTheCallersLimitsAndBudget() {
		DedalusProxy proxy = proxy();
		double before = tokens("completed", "reported");
		// Elements that report a running total, as Spring AI's last ChatResponse reports usage.
		proxy.guard("address:10.1.0.6", 60, reactor.core.publisher.Flux.just(1L, 2L, 120L), (total) -> total)
			.blockLast(Duration.ofSeconds(10));
		awaitTokens("completed", "reported", before + 120);
		Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(() -> proxy
			.guard("address:10.1.0.6", 60, reactor.core.publisher.Flux.just(1L), (total) -> total)
			.blockLast(Duration.ofSeconds(10)));
		assertThat(((ai.dedaluslabs.spring.web.RequestRefusedException) refusal).body().code())
			.isEqualTo("token_budget_exceeded");
	}

	@Autowired
	org.springframework.context.ApplicationContext context;

	DedalusProxy proxy() {
		return this.context.getBean(DedalusProxy.class);
	}

	@Test
	void theTestKeyNeverShowsInARefusal() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("x").usage(90, 20));
		post("10.1.0.5", chat(true, "Hi"));
		awaitRefused("10.1.0.5");
		assertThat(post("10.1.0.5", chat(true, "Hi")).body()).doesNotContain(DedalusMockServer.TEST_API_KEY);
	}

	private void awaitRefused(String caller) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> post(caller, chat(true, "Hi")).statusCode() == 429);
	}

}
