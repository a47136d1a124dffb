package ai.dedaluslabs.spring.web;

import java.util.List;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;

/**
 * One thing written to a browser, before a web stack shapes it: Spring MVC writes it to an
 * {@code SseEmitter}, WebFlux turns it into a {@code ServerSentEvent}.
 *
 * @since 0.1.0
 */
public sealed interface SseFrame {

	/**
	 * A {@code data:} event; each line becomes one {@code data:} line, so no text can end an event
	 * early.
	 * @param lines the lines of the event's data, without line ends
	 */
	record Data(List<String> lines) implements SseFrame {

		/**
		 * A data frame of one line that holds no line end, such as a chunk's JSON.
		 * @param line the line
		 * @return the frame
		 */
		public static Data of(String line) {
			return new Data(List.of(line));
		}

	}

	/**
	 * A {@code data:} event holding one chunk's JSON exactly as the API sent it: written from its
	 * bytes, never decoded to text and encoded again. The JSON of an event holds no line end.
	 * @param chunk the raw chunk
	 */
	record Raw(RawChatCompletionChunk chunk) implements SseFrame {
	}

	/**
	 * The closing {@code data: [DONE]}.
	 * @param named whether it is sent as {@code event: done}, so a page's {@code onmessage} never
	 * sees it as text
	 */
	record Done(boolean named) implements SseFrame {
	}

	/**
	 * {@code event: error} with an OpenAI error body that is safe to show.
	 * @param json the body, {@code {"error": {...}}}
	 */
	record Error(String json) implements SseFrame {
	}

	/**
	 * A frame with an SSE {@code id:}, so that a browser that reconnects names the last event it
	 * received ({@code Last-Event-ID}) and a resumable stream continues after it.
	 * @param id the event id, without line ends
	 * @param frame the frame
	 */
	record Identified(String id, SseFrame frame) implements SseFrame {
	}

	/** A {@code :} comment that keeps proxies from closing a quiet stream and finds a closed tab. */
	record Heartbeat() implements SseFrame {
	}

	/** {@code data: [DONE]}, as OpenAI-compatible readers expect. */
	Done DONE = new Done(false);

	/** {@code event: done} + {@code data: [DONE]}, for text streams. */
	Done NAMED_DONE = new Done(true);

	/** The heartbeat comment. */
	Heartbeat HEARTBEAT = new Heartbeat();

}
