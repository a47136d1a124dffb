package ai.dedaluslabs.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.error.InternalServerException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * No timer outlives its operation: every task the client schedules (the response-headers limit,
 * the idle watchdog, the total limit, retry backoff) has run or been disposed once a stream
 * completes, fails or is cancelled.
 */
@Timeout(60)
class TimerLeakTests {

	private final MockWebServer server = new MockWebServer();

	private final TrackingScheduler timer = new TrackingScheduler(Schedulers.parallel());

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = DedalusClient.builder()
			.apiKey("sk-test")
			.baseUrl(this.server.url("/").toString())
			.timer(this.timer)
			.timeouts(Timeouts.DEFAULTS.withTotal(Duration.ofMinutes(5)))
			.build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	private static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("tick")).build();
	}

	@Test
	void noTimerIsLeftAfterCompletion() {
		this.server.enqueue(Sse.ok(Sse.answer("a", "b")));
		this.client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10));
		assertThat(this.timer.scheduled.get()).as("timers were used").isPositive();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.timer.live.get() == 0);
	}

	@Test
	void noTimerIsLeftAfterErrorsAndRetries() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(Sse.error(503, "{}").newBuilder().addHeader("retry-after-ms", "10").build());
		}
		assertThatExceptionOfType(InternalServerException.class)
			.isThrownBy(() -> this.client.chat().completions().stream(request()).blockLast(Duration.ofSeconds(10)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.timer.live.get() == 0);
	}

	@Test
	void noTimerIsLeftAfterCancel() {
		ScriptedBody body = new ScriptedBody(ScriptedBody.Ending.ENDLESS, Sse.chunk(0, "x"));
		this.server.enqueue(body.response());
		this.client.chat().completions().stream(request()).take(3).blockLast(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.timer.live.get() == 0);
	}

	/** Counts the delayed tasks that have neither run nor been disposed. */
	static final class TrackingScheduler implements Scheduler {

		final AtomicInteger live = new AtomicInteger();

		final AtomicInteger scheduled = new AtomicInteger();

		private final Scheduler delegate;

		TrackingScheduler(Scheduler delegate) {
			this.delegate = delegate;
		}

		@Override
		public Disposable schedule(Runnable task) {
			return this.delegate.schedule(task);
		}

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			AtomicBoolean done = new AtomicBoolean();
			this.live.incrementAndGet();
			this.scheduled.incrementAndGet();
			Disposable scheduled = this.delegate.schedule(() -> {
				if (done.compareAndSet(false, true)) {
					this.live.decrementAndGet();
				}
				task.run();
			}, delay, unit);
			return new Disposable() {
				@Override
				public void dispose() {
					if (done.compareAndSet(false, true)) {
						TrackingScheduler.this.live.decrementAndGet();
					}
					scheduled.dispose();
				}

				@Override
				public boolean isDisposed() {
					return scheduled.isDisposed();
				}
			};
		}

		@Override
		public long now(TimeUnit unit) {
			return this.delegate.now(unit);
		}

		@Override
		public Worker createWorker() {
			return this.delegate.createWorker();
		}

	}

}
