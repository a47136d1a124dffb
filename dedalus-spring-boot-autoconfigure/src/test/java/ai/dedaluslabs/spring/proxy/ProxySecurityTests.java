package ai.dedaluslabs.spring.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint under the application's Spring Security rules, as the README shows them for callers
 * with a credential of the application's own (here HTTP Basic): the path needs an authenticated
 * user, the caller's credential never goes upstream, and the stream limit follows the principal,
 * not the address.
 */
@SpringBootTest(classes = ProxySecurityTests.SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "dedalus.proxy.enabled=true", "dedalus.max-retries=0",
				"dedalus.proxy.max-concurrent-streams=1" })
@AutoConfigureDedalusMock
@Timeout(60)
class ProxySecurityTests {

	private static final String BODY = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,\"messages\":"
			+ "[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> post(String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/dedalus/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(BODY));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anonymousCallersAreRefusedBeforeAnythingGoesUpstream() throws Exception {
		int requestsBefore = this.dedalus.requestCount();
		assertThat(post(null).statusCode()).isEqualTo(401);
		assertThat(post("Bearer not-a-user").statusCode()).isEqualTo(401);
		assertThat(this.dedalus.requestCount()).as("nothing sent upstream").isEqualTo(requestsBefore);
	}

	@Test
	void authenticatedCallerStreamsAndItsCredentialStaysHere() throws Exception {
		while (this.dedalus.takeRequest(Duration.ZERO) != null) {
			// earlier tests' requests
		}
		this.dedalus.enqueue(StreamScript.create().text("Hello Alice"));
		HttpResponse<String> response = post(basic("alice"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"content\":\" Alice\"").endsWith("data: [DONE]\n\n");
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.header("Authorization")).isEqualTo("Bearer " + DedalusMockServer.TEST_API_KEY);
	}

	@Test
	void streamLimitFollowsThePrincipal() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("alice's").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		int before = this.dedalus.clientDisconnects();
		try (RawHttpAccess alice = new RawHttpAccess(this.port, BODY, basic("alice"))) {
			alice.readUntil("\"content\"");
			assertThat(post(basic("alice")).statusCode()).as("alice's second stream").isEqualTo(429);
			this.dedalus.enqueue(StreamScript.create().text("bob's"));
			assertThat(post(basic("bob")).statusCode()).as("bob, from the same address").isEqualTo(200);
		}
		assertThat(this.dedalus.awaitClientDisconnects(before + 1, Duration.ofSeconds(10))).isTrue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecuredApp {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/dedalus/**").authenticated()
					.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults())
				// a credential of the application's own, not a cookie: not exposed to CSRF
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/dedalus/**"))
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}pw").roles("USER").build(),
					User.withUsername("bob").password("{noop}pw").roles("USER").build());
		}

	}

}
