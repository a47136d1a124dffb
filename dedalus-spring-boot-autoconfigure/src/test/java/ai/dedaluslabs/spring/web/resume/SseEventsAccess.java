package ai.dedaluslabs.spring.web.resume;

import java.util.List;

/**
 * {@link SseEvents} for tests in other packages.
 */
public final class SseEventsAccess {

	private SseEventsAccess() {
	}

	public static List<String> data(String received) {
		return SseEvents.parse(received).data();
	}

	public static String lastId(String received) {
		return SseEvents.parse(received).lastId();
	}

	public static String streamId(String received) {
		return ResumableForwardingTests.streamId(received);
	}

}
