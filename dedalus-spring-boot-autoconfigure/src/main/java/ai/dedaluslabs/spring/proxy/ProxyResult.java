package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import reactor.core.publisher.Flux;

/**
 * What the endpoint answers, before it is shaped for Spring MVC or WebFlux: a JSON body with a
 * status (a completion, a model list, an OpenAI-style error), or a stream that has started.
 *
 * @since 0.1.0
 */
public sealed interface ProxyResult {

	/**
	 * The answer for an error.
	 * @param error the error
	 * @return a JSON answer with the error's status and body
	 */
	static Json error(OpenAiErrorBody error) {
		return new Json(error.status(), error.json());
	}

	/**
	 * A JSON answer.
	 * @param status the HTTP status
	 * @param body the JSON text
	 */
	record Json(int status, String body) implements ProxyResult {
	}

	/**
	 * A stream whose first event (or end) has arrived, so the status is known to be 200.
	 * @param chunks every event of the stream, the first included, each with its JSON as received
	 */
	record Stream(Flux<RawChatCompletionChunk> chunks) implements ProxyResult {
	}

}
