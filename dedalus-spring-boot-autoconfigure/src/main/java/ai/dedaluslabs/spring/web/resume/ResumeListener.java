package ai.dedaluslabs.spring.web.resume;

/**
 * Told what happens to resumable streams; the auto-configuration counts these as
 * {@code dedalus.sse.resume.connections} and {@code dedalus.sse.resume.cancelled} when Micrometer
 * is present.
 *
 * @since 0.1.0
 */
public interface ResumeListener {

	/** A listener that does nothing. */
	ResumeListener NONE = new ResumeListener() {
	};

	/** A browser reconnected to a retained stream with {@code Last-Event-ID}. */
	default void resumed() {
	}

	/**
	 * A stream was cancelled upstream before its end.
	 * @param reason {@code abandoned} (no reader for the grace period), {@code stopped} (an explicit
	 * stop) or {@code too_long} (more events than may be retained)
	 */
	default void cancelled(String reason) {
	}

}
