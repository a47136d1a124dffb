package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.AuthenticationException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;
import reactor.util.Loggers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs requests with every logger of the client, Spring and Reactor at the finest level and
 * checks that the API key and provider key are never written.
 */
@Timeout(60)
class SecretsInLogsTests {

	private static final String API_KEY = "sk-log-check-9a8b7c6d5e";

	private static final String PROVIDER_KEY = "sk-provider-log-check-1f2e3d";

	private final MockWebServer server = new MockWebServer();

	private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
			if (record.getParameters() != null) {
				for (Object parameter : record.getParameters()) {
					text.append(' ').append(parameter);
				}
			}
			for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
				text.append(' ').append(thrown);
			}
			SecretsInLogsTests.this.logged.add(text.toString());
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final List<Logger> loggers = new ArrayList<>();

	@BeforeEach
	void captureEverything() throws Exception {
		Loggers.useJdkLoggers();
		for (String name : new String[] { "", "ai.dedaluslabs", "org.springframework", "reactor", "io.netty" }) {
			Logger logger = Logger.getLogger(name);
			logger.setLevel(Level.ALL);
			this.loggers.add(logger);
		}
		this.capture.setLevel(Level.ALL);
		Logger.getLogger("").addHandler(this.capture);
		this.server.start();
	}

	@AfterEach
	void restore() {
		Logger.getLogger("").removeHandler(this.capture);
		this.loggers.forEach((logger) -> logger.setLevel(null));
		Logger.getLogger("").setLevel(Level.INFO);
		Loggers.resetLoggerFactory();
		this.server.close();
	}

	@Test
	void keysAreNeverLogged() {
		try (DedalusClient client = DedalusClient.builder()
			.apiKey(API_KEY)
			.provider("openai", PROVIDER_KEY)
			.baseUrl(this.server.url("/").toString())
			.maxRetries(0)
			.build()) {
			ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user("hi")).build();
			this.server.enqueue(Sse.ok(Sse.answer("fine")));
			this.server.enqueue(Sse.error(401, "{\"error\":{\"message\":\"Invalid API key\"}}"));
			StepVerifier.create(client.chat().completions().stream(request))
				.expectNextCount(3)
				.expectComplete()
				.verify(Duration.ofSeconds(10));
			StepVerifier.create(client.chat().completions().stream(request))
				.expectError(AuthenticationException.class)
				.verify(Duration.ofSeconds(10));
		}
		assertThat(this.logged).as("something was logged, so the check means something").isNotEmpty();
		assertThat(String.join("\n", this.logged)).doesNotContain(API_KEY).doesNotContain(PROVIDER_KEY);
	}

}
