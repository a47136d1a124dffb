package ai.dedaluslabs.client;

import ai.dedaluslabs.client.internal.AcceptedStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The moment the API accepts a streamed request, for a front end that answers its own caller with
 * a status: the status is known when the API's response headers arrive, often long before the
 * model's first token, and the answer can be built then rather than at the first chunk.
 *
 * <pre class="code">
 * StreamStart.whenAccepted(client.chat().completions().streamRaw(request))
 *     .map((chunks) -&gt; ResponseEntity.ok().contentType(TEXT_EVENT_STREAM).body(encode(chunks)))
 *     .onErrorResume(ApiStatusException.class, (refused) -&gt; Mono.just(statusOf(refused)));
 * </pre>
 *
 * @since 0.1.0
 */
public final class StreamStart {

	private StreamStart() {
	}

	/**
	 * Send a streamed request now, and emit its stream once the API has accepted it: a 2xx
	 * {@code text/event-stream} response's headers arrived. A failure before that (a refusal with
	 * its status, after the retries the client allows; a connection that could not be made; a
	 * response that is not an event stream) is the error of the returned {@code Mono} instead.
	 * <p>
	 * The stream emitted may be subscribed once, and nothing is read from the API until it is
	 * subscribed and asked for elements; what fails after the acceptance (an error event first, a
	 * cut connection, the idle timeout) is its error. Cancelling the {@code Mono} before it emits
	 * cancels the request; once it has emitted, the stream's subscriber cancels it, and a stream
	 * never subscribed ends with the client's idle timeout.
	 * <p>
	 * {@code stream} is one of this client's streams, or built on one with operators (such as
	 * {@code map}, {@code filter}, {@code doFinally}) that subscribe it at once with their own
	 * subscriber's context. A stream whose request is not subscribed during the call (one from
	 * elsewhere, or behind {@code subscribeOn}) cannot tell when it was accepted, and is emitted at
	 * once: this never waits for a signal that will not come.
	 * @param <T> the element type
	 * @param stream the stream, cold
	 * @return the stream once accepted, cold: each subscription sends a request
	 */
	public static <T> Mono<Flux<T>> whenAccepted(Flux<T> stream) {
		return AcceptedStream.start(stream);
	}

}
