package ai.dedaluslabs.client;

import java.util.Iterator;
import java.util.stream.Stream;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;

/**
 * A streamed completion consumed by blocking iteration, for code that is not reactive. Iterating
 * waits for each chunk; {@link #close()} cancels the request and closes its connection, so use it
 * in try-with-resources:
 *
 * <pre class="code">
 * try (ChatCompletionStream stream = client.chat().completions().createStreaming(request)) {
 *     for (ChatCompletionChunk chunk : stream) {
 *         ...
 *     }
 * }
 * </pre>
 *
 * <p>
 * Errors are thrown from the iterator as the client's unchecked exceptions. Iterate it once, from
 * one thread, and never on an event-loop thread.
 *
 * @since 0.1.0
 */
public final class ChatCompletionStream implements Iterable<ChatCompletionChunk>, AutoCloseable {

	private final Stream<ChatCompletionChunk> chunks;

	ChatCompletionStream(Stream<ChatCompletionChunk> chunks) {
		this.chunks = chunks;
	}

	/**
	 * The chunks, waiting for each.
	 * @return an iterator over the stream; one per stream
	 */
	@Override
	public Iterator<ChatCompletionChunk> iterator() {
		return this.chunks.iterator();
	}

	/**
	 * The chunks as a {@link Stream}; closing it closes this stream.
	 * @return the stream
	 */
	public Stream<ChatCompletionChunk> stream() {
		return this.chunks;
	}

	/**
	 * Cancel the request if it is still running and close its connection.
	 */
	@Override
	public void close() {
		this.chunks.close();
	}

}
