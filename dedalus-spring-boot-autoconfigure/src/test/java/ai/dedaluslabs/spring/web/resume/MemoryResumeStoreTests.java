package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers that join a stream while it is being appended to get every event after their position
 * exactly once: the replay and the live rest meet without a gap or a repeat.
 */
@Timeout(60)
class MemoryResumeStoreTests {

	@RepeatedTest(20)
	void readersJoiningMidAppendSeeEveryLaterEventOnce() throws Exception {
		MemoryResumeStore store = new MemoryResumeStore();
		store.create("s", null, 10, Duration.ofMinutes(1)).block();
		int total = 2000;
		CountDownLatch started = new CountDownLatch(1);
		Thread appender = new Thread(() -> {
			started.countDown();
			for (long seq = 1; seq <= total; seq++) {
				ResumeEntry.Kind kind = (seq == total) ? ResumeEntry.Kind.DONE : ResumeEntry.Kind.DATA;
				store.append("s", new ResumeEntry(seq, kind, "e" + seq), Duration.ofMinutes(1)).block();
			}
		});
		appender.start();
		started.await();
		List<List<Long>> reads = Flux.range(0, 8)
			.flatMap((reader) -> store.read("s", reader * 100L)
				.map(ResumeEntry::seq)
				.collectList()
				.subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(30));
		appender.join();
		for (List<Long> read : reads) {
			long from = read.get(0);
			assertThat(read).containsExactlyElementsOf(LongStream.rangeClosed(from, total).boxed().toList());
		}
	}

}
