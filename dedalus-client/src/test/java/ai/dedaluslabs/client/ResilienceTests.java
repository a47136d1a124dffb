package ai.dedaluslabs.client;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.ApiConnectionException;
import ai.dedaluslabs.client.error.ApiTimeoutException;
import ai.dedaluslabs.client.error.AuthenticationException;
import ai.dedaluslabs.client.error.BadRequestException;
import ai.dedaluslabs.client.error.DedalusException;
import ai.dedaluslabs.client.error.InternalServerException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault-injection suite: one test per fault a production stream meets, on
 * {@code mockwebserver3}. Reactor timers (backoff, time limits) run on virtual time; the network
 * is real.
 */
@Timeout(120)
class ResilienceTests {

	private final MockWebServer server = new MockWebServer();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final VirtualClock clock = new VirtualClock(this.time);

	private final List<Duration> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.timer(this.time)
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
		this.time.dispose();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Agenbite of inwit?")).build();
	}

	/** Record the virtual time at which each request reaches the server, then answer from a script. */
	private void script(MockResponse... responses) {
		java.util.Queue<MockResponse> queue = new ConcurrentLinkedQueue<>(List.of(responses));
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				ResilienceTests.this.arrivals.add(ResilienceTests.this.clock.now());
				MockResponse next = queue.poll();
				return (next != null) ? next : Sse.error(500, "{\"error\":{\"message\":\"script exhausted\"}}");
			}
		});
	}

	/** Subscribe, and drive virtual time until the stream ends. */
	private Outcome run(Flux<ChatCompletionChunk> stream) {
		return run(stream, Duration.ofMillis(100));
	}

	private Outcome run(Flux<ChatCompletionChunk> stream, Duration step) {
		Outcome outcome = new Outcome();
		stream.subscribe(outcome.chunks::add, outcome.result::complete, () -> outcome.result.complete(null));
		this.clock.advanceUntil(step, outcome.result::isDone);
		return outcome;
	}

	private static final class Outcome {

		final List<ChatCompletionChunk> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();

		final CompletableFuture<@Nullable Throwable> result = new CompletableFuture<>();

		@Nullable Throwable error() {
			return this.result.join();
		}

	}

	private static MockResponse status(int code, String... headers) {
		MockResponse.Builder builder = new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":{\"message\":\"status " + code + "\",\"type\":\"test\"}}");
		for (int i = 0; i < headers.length; i += 2) {
			builder.addHeader(headers[i], headers[i + 1]);
		}
		return builder.build();
	}

	@Test
	void refusedConnectionIsRetriedThenReported() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (DedalusClient unreachable = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl("http://127.0.0.1:" + port)
			.timer(this.time)
			.build()) {
			Throwable error = run(unreachable.chat().completions().stream(request())).error();
			assertThat(error).isExactlyInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("Could not connect")
				.hasMessageEndingWith("(after 3 attempts)");
			assertThat(((DedalusException) error).attempts()).isEqualTo(3);
		}
	}

	@Test
	void resetBeforeHeadersIsRetried() {
		script(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build(),
				Sse.ok(Sse.answer("still", " here")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isNull();
		assertThat(outcome.chunks).hasSize(4);
		assertThat(this.arrivals).hasSize(2);
	}

	@Test
	void resetMidStreamIsNotRetried() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.DROP, Sse.chunk(0, "Once"));
		script(body.response(), Sse.ok(Sse.answer("never")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isInstanceOf(ApiConnectionException.class);
		assertThat(((DedalusException) outcome.error()).attempts()).isEqualTo(1);
		assertThat(outcome.chunks).extracting((c) -> c.choices().get(0).delta().content()).containsExactly("Once");
		assertThat(this.arrivals).as("no second request once a stream has started").hasSize(1);
	}

	@Test
	void rateLimitWithRetryAfterSecondsWaitsThenSucceeds() {
		script(status(429, "retry-after", "20"), Sse.ok(Sse.answer("ok")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isNull();
		assertThat(this.arrivals).hasSize(2);
		assertThat(this.arrivals.get(1).minus(this.arrivals.get(0))).as("waited retry-after")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void rateLimitWithRetryAfterDateWaitsThenSucceeds() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
		script(status(429, "retry-after", date), Sse.ok(Sse.answer("ok")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isNull();
		assertThat(this.arrivals).hasSize(2);
		assertThat(this.arrivals.get(1).minus(this.arrivals.get(0))).as("waited until the date, not the 0.5 s backoff")
			.isGreaterThan(Duration.ofSeconds(25));
	}

	@Test
	void unavailableTwiceThenSucceedsWithOneIdempotencyKeyAndNoDuplicateChunk() throws Exception {
		script(status(503), status(503), Sse.ok(Sse.answer("third", " time")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isNull();
		assertThat(outcome.chunks).extracting((c) -> c.choices().isEmpty() ? "usage" : c.choices().get(0).delta().content())
			.containsExactly("third", " time", null, "usage");
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			keys.add(this.server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key"));
		}
		assertThat(keys).doesNotContainNull().containsOnly(keys.get(0));
		assertThat(this.arrivals.get(1).minus(this.arrivals.get(0))).as("first backoff at least 0.375 s")
			.isGreaterThanOrEqualTo(Duration.ofMillis(375));
	}

	@Test
	void serverErrorForeverMakesExactlyOnePlusMaxRetriesAttempts() {
		script(status(500), status(500), status(500), status(500), status(500), status(500));
		Throwable error = run(this.client.chat().completions().stream(request())).error();
		assertThat(error).isInstanceOf(InternalServerException.class).hasMessageEndingWith("(after 3 attempts)");
		assertThat(((InternalServerException) error).statusCode()).isEqualTo(500);
		assertThat(this.arrivals).hasSize(3);
	}

	@Test
	void perRequestRetriesOverrideTheClients() {
		script(status(500), status(500), status(500), status(500), status(500), status(500));
		Throwable error = run(this.client.chat().completions().stream(request(), RequestOptions.defaults().withMaxRetries(4)))
			.error();
		assertThat(((DedalusException) error).attempts()).isEqualTo(5);
		assertThat(this.arrivals).hasSize(5);
	}

	@Test
	void unauthorizedIsNotRetried() {
		script(status(401), Sse.ok(Sse.answer("never")));
		assertThat(run(this.client.chat().completions().stream(request())).error())
			.isInstanceOf(AuthenticationException.class);
		assertThat(this.arrivals).hasSize(1);
	}

	@Test
	void shouldRetryFalseStopsARetryableStatus() {
		script(status(503, "x-should-retry", "false"), Sse.ok(Sse.answer("never")));
		assertThat(run(this.client.chat().completions().stream(request())).error())
			.isInstanceOf(InternalServerException.class);
		assertThat(this.arrivals).hasSize(1);
	}

	@Test
	void shouldRetryTrueRetriesAnyStatus() {
		script(status(400, "x-should-retry", "true"), Sse.ok(Sse.answer("ok")));
		assertThat(run(this.client.chat().completions().stream(request())).error()).isNull();
		assertThat(this.arrivals).hasSize(2);
	}

	@Test
	void badRequestIsNotRetried() {
		script(status(400), Sse.ok(Sse.answer("never")));
		assertThat(run(this.client.chat().completions().stream(request())).error())
			.isInstanceOf(BadRequestException.class);
		assertThat(this.arrivals).hasSize(1);
	}

	@Test
	void slowHeadersHitTheResponseTimeoutAndAreRetried() {
		script(new MockResponse.Builder().headersDelay(20, TimeUnit.SECONDS).body("{}").build(),
				Sse.ok(Sse.answer("quick")));
		Outcome outcome = run(this.client.chat().completions().stream(request()));
		assertThat(outcome.error()).isNull();
		assertThat(this.arrivals).hasSize(2);
		assertThat(this.arrivals.get(1).minus(this.arrivals.get(0))).as("the 60 s response timeout fired first")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void responseTimeoutOnEveryAttemptIsReportedAsTimeout() {
		MockResponse slow = new MockResponse.Builder().headersDelay(20, TimeUnit.SECONDS).body("{}").build();
		script(slow, slow, slow);
		Throwable error = run(this.client.chat().completions().stream(request(), RequestOptions.defaults()
			.withTimeouts(Timeouts.DEFAULTS.withResponse(Duration.ofSeconds(5))))).error();
		assertThat(error).isInstanceOf(ApiTimeoutException.class)
			.hasMessageContaining("within 5s")
			.hasMessageEndingWith("(after 3 attempts)");
	}

	@Test
	void stallMidStreamHitsTheIdleTimeoutAndIsNotRetried() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "thinking"));
		script(body.response(), Sse.ok(Sse.answer("never")));
		try {
			Outcome outcome = run(this.client.chat().completions().stream(request()), Duration.ofSeconds(2));
			assertThat(outcome.error()).isInstanceOf(ApiTimeoutException.class).hasMessageContaining("idle timeout");
			assertThat(outcome.chunks).hasSize(1);
			assertThat(this.arrivals).hasSize(1);
		}
		finally {
			body.release();
		}
	}

	@Test
	void slowButSteadyStreamOutlastsTheResponseTimeout() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.GATED, Sse.chunk(0, "Stately,"), Sse.chunk(0, " plump"),
				Sse.chunk(0, " Buck"), Sse.chunk(0, " Mulligan"), Sse.finish(0, "stop"), "[DONE]");
		script(body.response());
		Outcome outcome = new Outcome();
		this.client.chat()
			.completions()
			.stream(request())
			.subscribe(outcome.chunks::add, outcome.result::complete, () -> outcome.result.complete(null));
		for (int sent = 1; sent < 6; sent++) {
			int expected = Math.min(sent, 5);
			await().atMost(Duration.ofSeconds(10)).until(() -> outcome.chunks.size() >= expected || outcome.result.isDone());
			this.time.advanceTimeBy(Duration.ofSeconds(50));
			body.allow();
		}
		await().atMost(Duration.ofSeconds(10)).until(outcome.result::isDone);
		assertThat(outcome.error()).as("250 s of steady output, beyond the 60 s response timeout").isNull();
		assertThat(outcome.chunks).hasSize(5);
		assertThat(this.clock.now()).isGreaterThanOrEqualTo(Duration.ofSeconds(250));
	}

	@Test
	void cancelMidStreamClosesTheConnectionAtOnce() throws Exception {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "a"));
		script(body.response());
		Flux<ChatCompletionChunk> stream = this.client.chat().completions().stream(request());
		assertThat(stream.take(5).collectList().block(Duration.ofSeconds(10))).hasSize(5);
		assertThat(body.clientClosed().get(10, TimeUnit.SECONDS)).as("server saw the close").isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.client.connectionPool().active() == 0);
	}

	@Test
	void exhaustedPoolFailsNamingTheSettings() {
		ScriptedBody first = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "holding"));
		ScriptedBody second = new ScriptedBody(ScriptedBody.Ending.STALL, Sse.chunk(0, "holding"));
		script(first.response(), second.response());
		try (DedalusClient small = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.pool(new PoolSettings(1, 1, Duration.ofSeconds(30)))
			.build()) {
			ChatCompletionRequest request = request();
			var holding = small.chat().completions().stream(request).subscribe((chunk) -> {
			}, (error) -> {
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> small.connectionPool().active() == 1);
			var waiting = small.chat().completions().stream(request).subscribe((chunk) -> {
			}, (error) -> {
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> small.connectionPool().pending() == 1);
			Throwable error = small.chat().completions().stream(request).then().flux().materialize().blockFirst(
					Duration.ofSeconds(10)).getThrowable();
			assertThat(error).isInstanceOf(ApiConnectionException.class)
				.hasMessageContaining("dedalus.pool.max-connections")
				.hasMessageContaining("dedalus.pool.max-pending-acquires");
			assertThat(((DedalusException) error).attempts()).as("a local limit is not retried").isEqualTo(1);
			holding.dispose();
			waiting.dispose();
		}
		finally {
			first.release();
			second.release();
		}
	}

	/**
	 * Streams open at once in {@link #concurrentStreamsWithRandomCancelsLeakNothing()}: fewer than
	 * it runs, so that connections read to their end are taken again from the pool while the
	 * cancels of other streams arrive.
	 */
	private static final int OPEN_AT_ONCE = 40;

	@Test
	void concurrentStreamsWithRandomCancelsLeakNothing() {
		int streams = 200;
		AtomicInteger served = new AtomicInteger();
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				served.incrementAndGet();
				String[] events = new String[42];
				for (int i = 0; i < 40; i++) {
					events[i] = Sse.chunk(0, "w" + i);
				}
				events[40] = Sse.finish(0, "stop");
				events[41] = "[DONE]";
				return new ScriptedBody(ScriptedBody.Ending.COMPLETE, events).response();
			}
		});
		// Real time: an attempt that failed would be retried after its backoff rather than wait for ever
		// on the virtual clock, and show as one request more than there are streams.
		this.client.close();
		this.client = DedalusClient.builder().apiKey("sk-test").baseUrl(this.server.url("/").toString()).build();
		try (NettyLeaks leaks = new NettyLeaks()) {
			List<Integer> counts = Flux.range(0, streams).flatMap((i) -> {
				Flux<ChatCompletionChunk> stream = this.client.chat().completions().stream(request());
				if (i % 2 == 1) {
					// Half the streams are cancelled from another thread than the one reading the
					// body, as a browser's disconnect is: the cancel races a buffer on its way in.
					stream = stream.publishOn(Schedulers.parallel(), 1);
				}
				int cancelAfter = ThreadLocalRandom.current().nextInt(1, 60);
				return stream.take(cancelAfter).count().map(Long::intValue);
			}, OPEN_AT_ONCE).collectList().block(Duration.ofSeconds(60));
			assertThat(counts).hasSize(streams).allSatisfy((count) -> assertThat(count).isBetween(1, 41));
			// A cancel that closed a connection after it went back to the pool failed the attempt of the
			// stream that had taken it next (ConnectionHandle).
			assertThat(served).as("requests the server answered: one per stream, none retried").hasValue(streams);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				ConnectionPoolStats pool = this.client.connectionPool();
				assertThat(pool.active()).as("connections still held").isZero();
				assertThat(pool.pending()).as("requests still waiting").isZero();
			});
			assertThat(leaks.reported()).as("Netty buffer leaks").isEmpty();
		}
	}

}
