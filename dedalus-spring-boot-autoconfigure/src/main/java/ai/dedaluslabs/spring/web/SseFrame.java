package ai.dedaluslabs.spring.web;

import java.util.List;

/**
 * One thing written to the browser, before it is shaped for MVC or WebFlux.
 */
sealed interface SseFrame {

	/** A {@code data:} event; each line becomes one {@code data:} line, so no text can end an event early. */
	record Data(List<String> lines) implements SseFrame {
	}

	/** The closing {@code data: [DONE]}, as a named event for text streams. */
	record Done(boolean named) implements SseFrame {
	}

	/** {@code event: error} with a JSON body that is safe to show. */
	record Error(String json) implements SseFrame {
	}

	/** A {@code :} comment that keeps proxies from closing a quiet stream and finds a closed tab. */
	record Heartbeat() implements SseFrame {
	}

	/** {@code data: [DONE]}, as OpenAI-compatible readers expect. */
	Done DONE = new Done(false);

	/** {@code event: done} + {@code data: [DONE]}, so a page's {@code onmessage} never sees it as text. */
	Done NAMED_DONE = new Done(true);

	Heartbeat HEARTBEAT = new Heartbeat();

}
