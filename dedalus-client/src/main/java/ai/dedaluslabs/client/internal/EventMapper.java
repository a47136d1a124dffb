package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;

/**
 * Maps a decoded stream event to the stream's element type: the chunk itself, or the chunk with
 * its JSON bytes for relaying.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface EventMapper<T> {

	/**
	 * Map an event.
	 * @param data the event's data bytes (the network buffer itself where possible); reused after
	 * the call, so copy what must outlive it
	 * @param offset where the event's data starts
	 * @param length how many bytes it has
	 * @param chunk the decoded chunk
	 * @return the element to emit
	 */
	T map(byte[] data, int offset, int length, ChatCompletionChunk chunk);

}
