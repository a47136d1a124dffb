package ai.dedaluslabs.spring.web.resume;

import org.jspecify.annotations.Nullable;

/**
 * Event ids of resumable streams, {@code <stream id>.<position>}: the id a browser sends back as
 * {@code Last-Event-ID} names both the stream and where it stopped.
 */
final class EventIds {

	private EventIds() {
	}

	static String format(String streamId, long seq) {
		return streamId + "." + seq;
	}

	/** The stream and position an id names, or {@code null} when it is not one of ours. */
	static @Nullable Position parse(@Nullable String eventId) {
		if (eventId == null) {
			return null;
		}
		int dot = eventId.lastIndexOf('.');
		if (dot <= 0 || dot == eventId.length() - 1) {
			return null;
		}
		String streamId = eventId.substring(0, dot);
		if (!StreamIds.isWellFormed(streamId)) {
			return null;
		}
		try {
			long seq = Long.parseLong(eventId.substring(dot + 1));
			return (seq >= 0) ? new Position(streamId, seq) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	record Position(String streamId, long seq) {
	}

}
