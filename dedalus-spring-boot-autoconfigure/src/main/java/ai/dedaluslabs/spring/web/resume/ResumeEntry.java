package ai.dedaluslabs.spring.web.resume;

import java.util.Objects;

import ai.dedaluslabs.spring.web.SseFrame;

/**
 * One retained event of a resumable stream.
 *
 * @param seq its position, from 1
 * @param kind what it is
 * @param payload the event's data: a chunk's JSON as received, or an error body; empty for the end
 * @since 0.1.0
 */
public record ResumeEntry(long seq, Kind kind, String payload) {

	/** Checks the parts. */
	public ResumeEntry {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(payload, "payload");
	}

	/** What an entry is. */
	public enum Kind {

		/** A chunk, its JSON as the API sent it. */
		DATA,

		/** The end of the answer, {@code data: [DONE]}. */
		DONE,

		/** The stream ended with an error, {@code event: error}. */
		ERROR;

	}

	/**
	 * Whether the stream ends with this entry.
	 * @return {@code true} for the end and for an error
	 */
	public boolean terminal() {
		return this.kind != Kind.DATA;
	}

	/**
	 * The frame a browser receives, with the SSE id that names this entry.
	 * @param streamId the stream's id
	 * @return the frame
	 */
	public SseFrame frame(String streamId) {
		SseFrame frame = switch (this.kind) {
			case DATA -> SseFrame.Data.of(this.payload);
			case DONE -> SseFrame.DONE;
			case ERROR -> new SseFrame.Error(this.payload);
		};
		return new SseFrame.Identified(EventIds.format(streamId, this.seq), frame);
	}

}
