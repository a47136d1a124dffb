package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.spring.web.SseFrame;
import ai.dedaluslabs.spring.web.SseFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of {@link ResumableStreams} without a server: caps on streams and events, and streams
 * bound to the user that started them.
 */
@Timeout(30)
class ResumableStreamsTests {

	private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
			+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}";

	private static RawChatCompletionChunk chunk() {
		return new RawChatCompletionChunk(CHUNK, WireJson.defaultMapper().readValue(CHUNK, ChatCompletionChunk.class));
	}

	private static ResumableStreams streams(int maxStreams, int maxEvents) {
		SseFrames frames = new SseFrames(WireJson.defaultMapper(), Duration.ofMinutes(1), null, Schedulers.parallel());
		return new ResumableStreams(new MemoryResumeStore(),
				new ResumeSettings(Duration.ofMinutes(1), Duration.ofMinutes(1), maxStreams, maxEvents), frames,
				ResumeListener.NONE);
	}

	private static List<SseFrame> unwrap(List<SseFrame> frames) {
		return frames.stream()
			.map((frame) -> (frame instanceof SseFrame.Identified identified) ? identified.frame() : frame)
			.toList();
	}

	@Test
	void moreStreamsThanTheCapAreRefusedWithAClearError() {
		ResumableStreams streams = streams(1, 100);
		// A stream starts when its first reader subscribes.
		streams.open(null, null, () -> Flux.just(chunk()).concatWith(Flux.never())).frames().take(1)
			.blockLast(Duration.ofSeconds(5));
		List<SseFrame> refused = streams.open(null, null, () -> Flux.just(chunk())).frames().collectList()
			.block(Duration.ofSeconds(5));
		assertThat(refused).singleElement().isInstanceOfSatisfying(SseFrame.Error.class,
				(error) -> assertThat(error.json()).contains("\"code\":\"too_many_streams\""));
	}

	@Test
	void aLongerAnswerThanTheEventCapIsCutThereAndCancelledUpstream() {
		ResumableStreams streams = streams(10, 5);
		AtomicBoolean cancelled = new AtomicBoolean();
		List<SseFrame> frames = unwrap(streams
			.open(null, null, () -> Flux.interval(Duration.ofMillis(1)).map((i) -> chunk()).doOnCancel(() -> cancelled.set(true)))
			.frames()
			.collectList()
			.block(Duration.ofSeconds(5)));
		assertThat(frames).hasSize(5);
		assertThat(frames.subList(0, 4)).allSatisfy((frame) -> assertThat(frame).isInstanceOf(SseFrame.Data.class));
		assertThat(frames.get(4)).isInstanceOfSatisfying(SseFrame.Error.class,
				(error) -> assertThat(error.json()).contains("\"code\":\"stream_too_long\""));
		assertThat(cancelled).isTrue();
	}

	@Test
	void aStreamStartedByAUserIsReadAndStoppedOnlyByThatUser() {
		ResumableStreams streams = streams(10, 100);
		ResumableStreams.Session session = streams.open(null, "ada",
				() -> Flux.just(chunk()).concatWith(Flux.never()));
		session.frames().take(1).blockLast(Duration.ofSeconds(5));
		List<SseFrame> asBob = streams.open(session.streamId() + ".0", "bob", Flux::empty).frames().collectList()
			.block(Duration.ofSeconds(5));
		assertThat(asBob).singleElement().isInstanceOfSatisfying(SseFrame.Error.class,
				(error) -> assertThat(error.json()).contains("\"code\":\"stream_not_found\""));
		assertThat(streams.stop(session.streamId(), "bob").block()).isFalse();
		assertThat(streams.stop(session.streamId(), null).block()).as("anonymous").isFalse();
		assertThat(streams.stop(session.streamId(), "ada").block()).isTrue();
		List<SseFrame> asAda = unwrap(streams.open(session.streamId() + ".1", "ada", Flux::empty).frames().collectList()
			.block(Duration.ofSeconds(5)));
		assertThat(asAda).last().isInstanceOfSatisfying(SseFrame.Error.class,
				(error) -> assertThat(error.json()).contains("\"code\":\"stream_stopped\""));
	}

	@Test
	void eventIdsThatAreNotOursStartANewStream() {
		ResumableStreams streams = streams(10, 100);
		for (String id : new String[] { "42", "abc.1", "0123456789abcdef0123456789abcdeF.1", "../etc.1", "" }) {
			ResumableStreams.Session session = streams.open(id, null, () -> Flux.just(chunk()));
			assertThat(unwrap(session.frames().collectList().block(Duration.ofSeconds(5))))
				.as("Last-Event-ID %s", id)
				.hasSize(2)
				.last()
				.isEqualTo(SseFrame.DONE);
		}
	}

}
