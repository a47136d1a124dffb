package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.error.MalformedResponseException;

/**
 * The errors raised when a response breaks the configured size limit.
 */
final class EventLimits {

	private EventLimits() {
	}

	static MalformedResponseException tooLarge(long maxEventSize) {
		return new MalformedResponseException("An SSE event or response body is larger than the maximum event size of "
				+ maxEventSize + " bytes; raise dedalus.max-event-size (DedalusClient.Builder.maxEventSize) if such "
				+ "responses are expected");
	}

}
