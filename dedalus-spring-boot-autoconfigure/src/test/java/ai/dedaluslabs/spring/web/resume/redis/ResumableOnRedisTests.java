package ai.dedaluslabs.spring.web.resume.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.spring.RedisTestServer;
import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.spring.web.resume.ResumeApplications;
import ai.dedaluslabs.spring.web.resume.SseEventsAccess;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances (Spring MVC and WebFlux) keeping resumable streams in one real Redis: a browser
 * that started an answer on one reconnects to the other and gets the rest, from the same single
 * upstream request; its reading there counts as presence for the instance that generates (the
 * answer outlasts the 1 s grace period); and a stop sent to the other instance cancels the
 * generation at once.
 */
@Timeout(120)
class ResumableOnRedisTests {

	private static DedalusMockServer dedalus;

	private static ConfigurableApplicationContext mvc;

	private static ConfigurableApplicationContext webflux;

	@BeforeAll
	static void startInstances() {
		int redisPort = RedisTestServer.port();
		String prefix = RedisTestServer.freshPrefix();
		dedalus = DedalusMockServer.start();
		List<String> properties = new ArrayList<>(List.of(dedalus.propertyValues()));
		properties.addAll(List.of("server.port=0", "dedalus.max-retries=0", "dedalus.sse.resume.store=redis",
				"dedalus.sse.resume.redis-key-prefix=" + prefix, "dedalus.sse.resume.grace=1s",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort));
		mvc = new SpringApplicationBuilder(ResumeApplications.Mvc.class).properties(properties.toArray(String[]::new))
			.run();
		webflux = new SpringApplicationBuilder(ResumeApplications.WebFlux.class)
			.properties(properties.toArray(String[]::new))
			.properties("spring.main.web-application-type=reactive")
			.run();
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

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static StreamScript longAnswer() {
		return StreamScript.create()
			.text("Stately, plump Buck Mulligan came from the stairhead, bearing a bowl of lather on which a mirror "
					+ "and a razor lay crossed. A yellow dressinggown, ungirdled, was sustained gently behind him on "
					+ "the mild morning air. He held the bowl aloft and intoned")
			.usage(12, 40)
			.delayPerChunk(Duration.ofMillis(40));
	}

	@Test
	void anAnswerStartedOnOneInstanceContinuesOnTheOther() throws Exception {
		dedalus.enqueue(longAnswer());
		List<String> whole;
		try (RawHttpAccess reader = RawHttpAccess.get(port(mvc), "/resumable")) {
			whole = SseEventsAccess.data(reader.readUntil("data: [DONE]"));
		}
		int requests = dedalus.requestCount();
		dedalus.enqueue(longAnswer());
		List<String> first;
		String lastId;
		try (RawHttpAccess reader = RawHttpAccess.get(port(mvc), "/resumable")) {
			String received = reader.readUntil("\"content\":\" Mulligan\"");
			first = SseEventsAccess.data(received);
			lastId = SseEventsAccess.lastId(received);
		}
		List<String> rest;
		try (RawHttpAccess reader = RawHttpAccess.get(port(webflux), "/resumable", "Last-Event-ID", lastId)) {
			rest = SseEventsAccess.data(reader.readUntil("data: [DONE]"));
		}
		List<String> joined = new ArrayList<>(first);
		joined.addAll(rest);
		assertThat(joined).containsExactlyElementsOf(whole);
		assertThat(dedalus.requestCount()).as("one upstream request").isEqualTo(requests + 1);
	}

	@Test
	void aStopSentToTheOtherInstanceCancelsTheGenerationAtOnce() throws Exception {
		int disconnects = dedalus.clientDisconnects();
		dedalus.enqueue(StreamScript.create().text("On and on").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		try (RawHttpAccess reader = RawHttpAccess.get(port(webflux), "/resumable")) {
			String received = reader.readUntil("\"content\"");
			String streamId = SseEventsAccess.streamId(received);
			HttpResponse<Void> stop = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(mvc) + "/resumable/" + streamId))
					.DELETE()
					.build(), HttpResponse.BodyHandlers.discarding());
			assertThat(stop.statusCode()).isEqualTo(204);
			assertThat(reader.readUntil("stream_stopped")).contains("\"code\":\"stream_stopped\"");
		}
		assertThat(dedalus.awaitClientDisconnects(disconnects + 1, Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void aStreamNobodyReadsOnAnyInstanceIsCancelledAfterTheGracePeriod() throws Exception {
		int disconnects = dedalus.clientDisconnects();
		dedalus.enqueue(StreamScript.create().text("On and on").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		String streamId;
		try (RawHttpAccess reader = RawHttpAccess.get(port(mvc), "/resumable")) {
			streamId = SseEventsAccess.streamId(reader.readUntil("\"content\""));
		}
		assertThat(dedalus.awaitClientDisconnects(disconnects + 1, Duration.ofSeconds(20))).isTrue();
		try (RawHttpAccess reader = RawHttpAccess.get(port(webflux), "/resumable", "Last-Event-ID", streamId + ".1")) {
			assertThat(reader.readAll()).contains("\"code\":\"stream_abandoned\"");
		}
	}

}
