package ai.dedaluslabs.spring.web.resume;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resumable streams on a real server, run on Spring MVC and WebFlux by the subclasses, with a
 * grace period of 1 s and a retention of 3 s: a browser that drops its connection and reconnects
 * with {@code Last-Event-ID} (or a page that reloads with {@code lastEventId}) gets the same answer,
 * whole, from one upstream request.
 */
@Timeout(60)
abstract class ResumableForwardingTests {

	static final String TOKENS = "Stately, plump Buck Mulligan came from the stairhead, bearing a bowl of lather "
			+ "on which a mirror and a razor lay crossed";

	@Autowired
	DedalusMockServer dedalus;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	@BeforeEach
	void drainRecordedRequests() {
		while (this.dedalus.takeRequest(Duration.ZERO) != null) {
			// earlier tests' requests
		}
	}

	/** The events of one uninterrupted read of a stream of this script. */
	List<String> uninterrupted(StreamScript script) throws Exception {
		this.dedalus.enqueue(script);
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			return SseEvents.parse(reader.readUntil("data: [DONE]")).data();
		}
	}

	static StreamScript slowAnswer() {
		return StreamScript.create().text(TOKENS).usage(12, 24).delayPerChunk(Duration.ofMillis(40));
	}

	static String streamId(String received) {
		for (String line : received.split("\r\n")) {
			if (line.regionMatches(true, 0, "Dedalus-Stream-Id:", 0, 18)) {
				return line.substring(18).strip();
			}
		}
		throw new AssertionError("no Dedalus-Stream-Id header in " + received);
	}

	@Test
	void aReconnectWithLastEventIdContinuesTheSameAnswer() throws Exception {
		List<String> whole = uninterrupted(slowAnswer());
		int requests = this.dedalus.requestCount();
		this.dedalus.enqueue(slowAnswer());
		SseEvents first;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			reader.readUntil("\"content\":\" Mulligan\"");
			first = SseEvents.parse(reader.received());
		}
		assertThat(first.size()).as("the connection dropped mid-answer").isBetween(2, whole.size() - 2);
		assertThat(first.lastId()).isNotNull();
		SseEvents rest;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable", "Last-Event-ID", first.lastId())) {
			rest = SseEvents.parse(reader.readUntil("data: [DONE]"));
		}
		List<String> joined = new ArrayList<>(first.data());
		joined.addAll(rest.data());
		assertThat(joined).containsExactlyElementsOf(whole);
		assertThat(this.dedalus.requestCount()).as("one upstream request for the resumed answer").isEqualTo(requests + 1);
		assertThat(this.meters.get("dedalus.sse.resume.connections").counter().count()).isPositive();
	}

	@Test
	void aPageThatReloadsContinuesWithTheQueryParameter() throws Exception {
		List<String> whole = uninterrupted(slowAnswer());
		this.dedalus.enqueue(slowAnswer());
		SseEvents first;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			reader.readUntil("\"content\":\" Mulligan\"");
			first = SseEvents.parse(reader.received());
		}
		SseEvents rest;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable?lastEventId=" + first.lastId())) {
			rest = SseEvents.parse(reader.readUntil("data: [DONE]"));
		}
		List<String> joined = new ArrayList<>(first.data());
		joined.addAll(rest.data());
		assertThat(joined).containsExactlyElementsOf(whole);
	}

	@Test
	void everyEventCarriesAnIdAndTheResponseNamesTheStream() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Introibo ad altare Dei").usage(3, 4));
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			String received = reader.readUntil("data: [DONE]");
			String streamId = streamId(received);
			assertThat(streamId).matches("[0-9a-f]{32}");
			List<SseEvents.Event> events = SseEvents.parse(received).events();
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i).id()).isEqualTo(streamId + "." + (i + 1));
			}
		}
	}

	@Test
	void aReconnectAfterTheEndGetsTheRestWhileTheStreamIsRetained() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Introibo ad altare Dei").usage(3, 4));
		String received;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			received = reader.readUntil("data: [DONE]");
		}
		SseEvents all = SseEvents.parse(received);
		String streamId = streamId(received);
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable", "Last-Event-ID", streamId + ".2")) {
			SseEvents rest = SseEvents.parse(reader.readAll());
			assertThat(rest.data()).containsExactlyElementsOf(all.data().subList(2, all.size()));
		}
		// Retained for 3 s after its end; then it is gone and the reader is told so.
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
			try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable", "Last-Event-ID", streamId + ".2")) {
				return reader.readAll().contains("\"code\":\"stream_not_found\"");
			}
		});
	}

	@Test
	void aStreamNobodyReadsIsCancelledUpstreamAfterTheGracePeriod() throws Exception {
		double before = cancelled("abandoned");
		int disconnects = this.dedalus.clientDisconnects();
		this.dedalus.enqueue(StreamScript.create().text("On and on").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		String streamId;
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			streamId = streamId(reader.readUntil("\"content\""));
		}
		assertThat(this.dedalus.awaitClientDisconnects(disconnects + 1, Duration.ofSeconds(20)))
			.as("the upstream request was cancelled once nobody read it for the grace period").isTrue();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cancelled("abandoned") > before);
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable", "Last-Event-ID", streamId + ".1")) {
			assertThat(reader.readAll()).contains("\"code\":\"stream_abandoned\"");
		}
	}

	@Test
	void anExplicitStopCancelsAtOnce() throws Exception {
		int disconnects = this.dedalus.clientDisconnects();
		this.dedalus.enqueue(StreamScript.create().text("On and on").untilClientCloses().delayPerChunk(Duration.ofMillis(50)));
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable")) {
			String streamId = streamId(reader.readUntil("\"content\""));
			HttpResponse<Void> stop = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/resumable/" + streamId))
					.DELETE()
					.build(), HttpResponse.BodyHandlers.discarding());
			assertThat(stop.statusCode()).isEqualTo(204);
			reader.readUntil("stream_stopped");
			SseEvents events = SseEvents.parse(reader.readAll());
			SseEvents.Event last = events.events().get(events.size() - 1);
			assertThat(last.name()).isEqualTo("error");
			assertThat(last.data()).contains("\"code\":\"stream_stopped\"");
		}
		assertThat(this.dedalus.awaitClientDisconnects(disconnects + 1, Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void unknownStreamsAreNotFound() throws Exception {
		try (RawHttpAccess reader = RawHttpAccess.get(this.port, "/resumable", "Last-Event-ID",
				"0123456789abcdef0123456789abcdef.4")) {
			assertThat(reader.readAll()).contains("\"code\":\"stream_not_found\"");
		}
		HttpResponse<Void> stop = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/resumable/0123456789abcdef0123456789abcdef"))
				.DELETE()
				.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(stop.statusCode()).isEqualTo(404);
	}

	double cancelled(String reason) {
		Counter counter = this.meters.find("dedalus.sse.resume.cancelled").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
