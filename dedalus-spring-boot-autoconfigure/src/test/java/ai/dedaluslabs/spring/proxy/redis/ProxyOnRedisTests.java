package ai.dedaluslabs.spring.proxy.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.spring.RedisTestServer;
import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.MockReply;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of an application (one on Spring MVC, one on WebFlux) behind an imagined load
 * balancer, sharing one real Redis: a caller's limits and budget hold across both, a place is
 * renewed while its request lives, and a killed instance's places expire by themselves. Callers
 * are named by {@code X-Forwarded-For}, as behind a load balancer.
 */
@Timeout(120)
class ProxyOnRedisTests {

	private static final Duration LEASE_TTL = Duration.ofSeconds(3);

	private static DedalusMockServer dedalus;

	private static int redisPort;

	private static String prefix;

	private static ConfigurableApplicationContext mvc;

	private static ConfigurableApplicationContext webflux;

	@BeforeAll
	static void startInstances() {
		redisPort = RedisTestServer.port();
		prefix = RedisTestServer.freshPrefix();
		dedalus = DedalusMockServer.start();
		mvc = instance().run();
		webflux = instance().properties("spring.main.web-application-type=reactive").run();
	}

	@AfterAll
	static void stopInstances() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { mvc, webflux }) {
			if (context != null) {
				context.close();
			}
		}
		if (dedalus != null) {
			dedalus.close();
		}
	}

	private static SpringApplicationBuilder instance() {
		return new SpringApplicationBuilder(App.class).properties(properties().toArray(String[]::new));
	}

	private static List<String> properties() {
		List<String> properties = new ArrayList<>(List.of(dedalus.propertyValues()));
		properties.addAll(List.of("server.port=0", "dedalus.max-retries=0", "dedalus.proxy.enabled=true",
				"dedalus.proxy.allowed-models=openai/*", "dedalus.proxy.max-completion-tokens=50",
				"dedalus.proxy.max-concurrent-requests=1", "dedalus.proxy.token-budget.limit=100",
				"dedalus.proxy.store=redis", "dedalus.proxy.redis-key-prefix=" + prefix,
				"dedalus.proxy.lease-ttl=" + LEASE_TTL.toMillis() + "ms", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redisPort, "server.forward-headers-strategy=framework"));
		return properties;
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static HttpResponse<String> post(int port, String caller, boolean stream) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dedalus/v1/chat/completions"))
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.header("X-Forwarded-For", caller)
				.POST(HttpRequest.BodyPublishers.ofString(chat(stream)))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String chat(boolean stream) {
		return "{\"model\":\"openai/gpt-5-nano\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
	}

	private static RawHttpAccess openStream(int port, String caller) throws Exception {
		RawHttpAccess stream = RawHttpAccess.withHeaders(port, chat(true), "X-Forwarded-For", caller);
		stream.readUntil("\"content\"");
		return stream;
	}

	@Test
	void aCallersOpenRequestOnOneInstanceCountsOnTheOther() throws Exception {
		dedalus.forModel("openai/gpt-5-nano", StreamScript.create().text("held").untilClientCloses()
			.delayPerChunk(Duration.ofMillis(50)));
		try (RawHttpAccess held = openStream(port(mvc), "10.2.0.1")) {
			HttpResponse<String> refused = post(port(webflux), "10.2.0.1", true);
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(refused.body()).contains("\"code\":\"too_many_requests\"");
			assertThat(post(port(webflux), "10.2.0.2", false).statusCode()).as("another caller").isNotEqualTo(429);
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> post(port(webflux), "10.2.0.1", false).statusCode() == 200);
	}

	@Test
	void aBudgetSpentOnOneInstanceIsSpentOnTheOther() throws Exception {
		dedalus.enqueue(StreamScript.create().text("costly").usage(60, 50));
		assertThat(post(port(webflux), "10.2.0.3", true).statusCode()).isEqualTo(200);
		MeterRegistry meters = webflux.getBean(MeterRegistry.class);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			Counter spent = meters.find("dedalus.proxy.tokens").tag("outcome", "completed").counter();
			return spent != null && spent.count() >= 110;
		});
		int sent = dedalus.requestCount();
		HttpResponse<String> refused = post(port(mvc), "10.2.0.3", false);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.body()).contains("\"code\":\"token_budget_exceeded\"");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(dedalus.requestCount()).as("nothing sent upstream").isEqualTo(sent);
	}

	@Test
	void aLongRequestKeepsItsPlacePastTheLeaseTtl() throws Exception {
		LettuceConnectionFactory connection = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisPort));
		connection.afterPropertiesSet();
		connection.start();
		try {
			dedalus.forModel("openai/gpt-5-nano", StreamScript.create().text("long").untilClientCloses()
				.delayPerChunk(Duration.ofMillis(50)));
			try (RawHttpAccess held = openStream(port(webflux), "10.2.0.4")) {
				// A place taken now with the same TTL and never renewed shows when the TTL has passed.
				RedisProxyStore probe = new RedisProxyStore(connection, RedisTestServer.freshPrefix());
				assertThat(probe.acquire("probe", "once", 1, LEASE_TTL).block()).isTrue();
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> probe.acquire("probe", "again", 1, LEASE_TTL).block());
				assertThat(post(port(mvc), "10.2.0.4", false).statusCode()).as("the renewed place is still held")
					.isEqualTo(429);
			}
		}
		finally {
			connection.destroy();
		}
	}

	@Test
	void aKilledInstancesPlacesExpireByThemselves() throws Exception {
		Process killed = startInstanceInItsOwnJvm();
		try {
			int killedPort = awaitPort(killed);
			dedalus.forModel("openai/gpt-5-nano", StreamScript.create().text("orphan").untilClientCloses()
				.delayPerChunk(Duration.ofMillis(50)));
			RawHttpAccess orphan = openStream(killedPort, "10.2.0.5");
			killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			orphan.close();
			assertThat(post(port(mvc), "10.2.0.5", false).statusCode()).as("the dead instance's place is still held")
				.isEqualTo(429);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> post(port(mvc), "10.2.0.5", false).statusCode() == 200);
		}
		finally {
			killed.destroyForcibly();
		}
	}

	private static Process startInstanceInItsOwnJvm() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
				ProxyInstance.class.getName()));
		for (String property : properties()) {
			command.add("--" + property);
		}
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	private static int awaitPort(Process process) throws Exception {
		BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<Integer> port = new CompletableFuture<>();
		// Reads the instance's output to its end, so that it never blocks on a full pipe.
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("PORT=")) {
						port.complete(Integer.parseInt(line.substring(5).trim()));
					}
				}
				port.completeExceptionally(new IllegalStateException("The instance exited before it served"));
			}
			catch (java.io.IOException ex) {
				port.completeExceptionally(ex);
			}
		});
		reader.setDaemon(true);
		reader.start();
		return port.get(60, TimeUnit.SECONDS);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
