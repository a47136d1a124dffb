package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import reactor.core.publisher.Flux;

/**
 * What the endpoint answers, before it is shaped for Spring MVC or WebFlux: a JSON body with a
 * status (a completion, a model list, an OpenAI-style error), or a stream that has started.
 */
sealed interface ProxyResult {

	/** A JSON answer. */
	record Json(int status, String body) implements ProxyResult {
	}

	/** A stream whose first event (or end) has arrived, so the status is known to be 200. */
	record Stream(Flux<RawChatCompletionChunk> chunks) implements ProxyResult {
	}

}
