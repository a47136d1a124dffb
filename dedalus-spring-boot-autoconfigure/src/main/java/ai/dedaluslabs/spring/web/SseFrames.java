package ai.dedaluslabs.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a stream of chunks into the frames a browser receives, the same for both web stacks: one
 * data frame per chunk, then {@code [DONE]}; on failure one error frame instead (its body from
 * {@link OpenAiErrorBody#of(Throwable)}), then the end; a heartbeat whenever nothing was written for
 * the heartbeat interval; and, when set, a whole-stream time limit. Every frame sequence is cold:
 * the chunks are subscribed when the frames are, and cancelling the frames cancels the chunks.
 * Each is one response's and can be subscribed once (a second subscription fails with an
 * {@link IllegalStateException} rather than sending the request upstream again); once subscribed
 * it keeps nothing of the chunks' assembly.
 *
 * @since 0.1.0
 */
public final class SseFrames {

	private static final Log logger = LogFactory.getLog(SseFrames.class);

	private final JsonMapper mapper;

	private final Duration heartbeat;

	private final @Nullable Duration timeout;

	private final Scheduler scheduler;

	/**
	 * Create the frame source.
	 * @param mapper the wire mapper, for writing decoded chunks as JSON
	 * @param heartbeat the longest silence before a heartbeat
	 * @param timeout the longest a forwarded stream may last, or {@code null} for no limit
	 * @param scheduler the scheduler for heartbeats and the time limit (virtual time in tests)
	 */
	public SseFrames(JsonMapper mapper, Duration heartbeat, @Nullable Duration timeout, Scheduler scheduler) {
		this.mapper = Objects.requireNonNull(mapper, "mapper");
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("dedalus.sse.heartbeat must be positive, but was " + heartbeat);
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("dedalus.sse.timeout must be positive, but was " + timeout);
		}
		this.heartbeat = heartbeat;
		this.timeout = timeout;
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
	}

	/**
	 * The same frames with another heartbeat interval.
	 * @param heartbeat the longest silence before a heartbeat
	 * @return a frame source that differs only in its heartbeat
	 */
	public SseFrames withHeartbeat(Duration heartbeat) {
		return new SseFrames(this.mapper, heartbeat, this.timeout, this.scheduler);
	}

	/**
	 * The heartbeat interval.
	 * @return the longest silence before a heartbeat
	 */
	public Duration heartbeat() {
		return this.heartbeat;
	}

	/**
	 * The whole-stream time limit.
	 * @return the limit, or {@code null} for none
	 */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/**
	 * Frames for decoded chunks: each chunk's JSON, then {@code data: [DONE]}.
	 * @param chunks the chunks
	 * @return the frames
	 */
	public Flux<SseFrame> chunks(Flux<ChatCompletionChunk> chunks) {
		return frames(chunks, (chunk) -> SseFrame.Data.of(this.mapper.writeValueAsString(chunk)), SseFrame.DONE);
	}

	/**
	 * Frames for raw chunks: each event's JSON exactly as the API sent it, then {@code data: [DONE]}.
	 * @param chunks the raw chunks, from {@code streamRaw}
	 * @return the frames
	 */
	public Flux<SseFrame> raw(Flux<RawChatCompletionChunk> chunks) {
		return frames(chunks, SseFrame.Raw::new, SseFrame.DONE);
	}

	/**
	 * Frames for the text of the first choice only, then {@code event: done} with
	 * {@code data: [DONE]}, for the simplest pages.
	 * @param chunks the chunks
	 * @return the frames
	 */
	public Flux<SseFrame> text(Flux<ChatCompletionChunk> chunks) {
		return frames(chunks, SseFrames::textOf, SseFrame.NAMED_DONE);
	}

	private static @Nullable SseFrame textOf(ChatCompletionChunk chunk) {
		for (ChatCompletionChunk.Choice choice : chunk.choices()) {
			String content = choice.delta().content();
			if (choice.index() == 0 && content != null && !content.isEmpty()) {
				return textFrame(content);
			}
		}
		return null;
	}

	private <T> Flux<SseFrame> frames(Flux<T> elements, Function<T, @Nullable SseFrame> toFrame, SseFrame.Done done) {
		return new FrameStream<>(elements, toFrame, done, this.heartbeat.toNanos(),
				(this.timeout != null) ? this.timeout.toNanos() : 0, this.scheduler);
	}

	/**
	 * Frames read from a resumable stream (each with its id), with heartbeats in every silence. The
	 * stream's end and errors are passed on as they are.
	 * @param frames the frames
	 * @return the frames with heartbeats
	 */
	public Flux<SseFrame> withHeartbeatsOnly(Flux<SseFrame> frames) {
		return new FrameStream<>(frames, Function.identity(), null, this.heartbeat.toNanos(), 0, this.scheduler);
	}

	/**
	 * A data frame of the lines of a text, split at every kind of line end.
	 * @param text the text
	 * @return the frame
	 */
	public static SseFrame.Data textFrame(String text) {
		List<String> lines = new ArrayList<>(1);
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\r' || c == '\n') {
				lines.add(text.substring(start, i));
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
					i++;
				}
				start = i + 1;
			}
		}
		lines.add(text.substring(start));
		return new SseFrame.Data(lines);
	}

	/**
	 * The error frame for a failure, its body from {@link OpenAiErrorBody#of(Throwable)}.
	 * @param error the failure
	 * @return the frame
	 */
	public static SseFrame.Error errorFrame(Throwable error) {
		logger.debug("Forwarded stream ended with an error event", error);
		return new SseFrame.Error(OpenAiErrorBody.of(error).json());
	}

}
