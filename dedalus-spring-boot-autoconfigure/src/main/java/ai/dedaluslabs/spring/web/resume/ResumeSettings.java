package ai.dedaluslabs.spring.web.resume;

import java.time.Duration;

/**
 * How resumable streams behave, as {@code dedalus.sse.resume.*} sets it.
 *
 * @param grace how long a stream goes on with no reader before it is cancelled upstream
 * @param retention how long a finished stream stays readable
 * @param maxStreams the most streams retained at once; more are refused
 * @param maxEvents the most events one stream may retain; a longer answer is cancelled there
 * @since 0.1.0
 */
public record ResumeSettings(Duration grace, Duration retention, int maxStreams, int maxEvents) {

	/** Checks the values. */
	public ResumeSettings {
		positive(grace, "grace");
		positive(retention, "retention");
		if (maxStreams <= 0 || maxEvents <= 0) {
			throw new IllegalArgumentException("dedalus.sse.resume.max-streams and max-events must be positive, but are "
					+ maxStreams + " and " + maxEvents);
		}
	}

	/**
	 * The documented defaults: 30 s of grace, 5 min of retention, 1,000 streams of at most 50,000
	 * events.
	 * @return the settings
	 */
	public static ResumeSettings defaults() {
		return new ResumeSettings(Duration.ofSeconds(30), Duration.ofMinutes(5), 1000, 50_000);
	}

	private static void positive(Duration value, String property) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("dedalus.sse.resume." + property + " must be positive, but is " + value);
		}
	}

}
