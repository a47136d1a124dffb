package ai.dedaluslabs.client.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a chat operation and its key values. Implement it (or extend
 * {@link DefaultChatObservationConvention}) and give it to the client, or declare it as a bean in
 * Spring Boot, to change metric names and tags.
 *
 * @since 0.1.0
 */
public interface ChatObservationConvention extends ObservationConvention<ChatObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ChatObservationContext;
	}

}
