package ai.dedaluslabs.client.internal.format;

import java.time.Duration;

/**
 * Formats durations the way Spring Boot properties are written ({@code 250ms}, {@code 60s},
 * {@code 2m}), so an error message shows the value as the user configured it.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Format a duration.
	 * @param duration the duration
	 * @return its shortest exact form in ms, s, m or h
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 3_600_000 == 0 && millis != 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0 && millis != 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0 && millis != 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
