package ai.dedaluslabs.spring.proxy;

import java.time.Duration;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import ai.dedaluslabs.spring.web.RequestRefusedException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
		return new Json(error.status(), error.json(), null);
	}

	/**
	 * The answer for a refusal, with its {@code Retry-After} when it passes with time.
	 * @param refusal the refusal
	 * @return a JSON answer with the refusal's status and body
	 */
	static Json refused(RequestRefusedException refusal) {
		return new Json(refusal.body().status(), refusal.body().json(), refusal.retryAfter());
	}

	/**
	 * A JSON answer.
	 * @param status the HTTP status
	 * @param body the JSON text
	 * @param retryAfter how long the caller should wait before trying again, or {@code null}
	 */
	record Json(int status, String body, @Nullable Duration retryAfter) implements ProxyResult {

		/**
		 * A JSON answer without {@code Retry-After}.
		 * @param status the HTTP status
		 * @param body the JSON text
		 */
		public Json(int status, String body) {
			this(status, body, null);
		}

		/**
		 * The {@code Retry-After} header's value: whole seconds, rounded up, at least one.
		 * @return the value, or {@code null} when there is none
		 */
		public @Nullable String retryAfterHeader() {
			Duration wait = this.retryAfter;
			if (wait == null) {
				return null;
			}
			long millis = Math.max(0, wait.toMillis());
			return Long.toString(Math.max(1, (millis + 999) / 1000));
		}

		/**
		 * The answer as a {@link ResponseEntity}: the status, the JSON body, {@code Retry-After}
		 * when the refusal passes with time, and {@code Connection: close} when the rest of the
		 * request body was left unread (408, 413), so the connection carries no other request.
		 * @return the response
		 */
		public ResponseEntity<String> toResponseEntity() {
			ResponseEntity.BodyBuilder builder = ResponseEntity.status(this.status)
				.contentType(MediaType.APPLICATION_JSON);
			String wait = retryAfterHeader();
			if (wait != null) {
				builder.header(HttpHeaders.RETRY_AFTER, wait);
			}
			if (this.status == 408 || this.status == 413) {
				builder.header(HttpHeaders.CONNECTION, "close");
			}
			return builder.body(this.body);
		}

	}

	/**
	 * A stream the upstream has accepted (its 2xx response headers arrived), so the status is
	 * known to be 200; its events may not have arrived yet.
	 * @param chunks every event of the stream, each with its JSON as received, to be subscribed
	 * once; what fails from here on (an error event, the idle timeout) is its error
	 */
	record Stream(Flux<RawChatCompletionChunk> chunks) implements ProxyResult {
	}

}
