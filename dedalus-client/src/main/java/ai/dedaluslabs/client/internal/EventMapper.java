package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;

/**
 * Maps a decoded stream event to the stream's element type: the chunk itself, or the chunk with
 * its JSON text for relaying.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface EventMapper<T> {

	/**
	 * Map an event.
	 * @param data the event's data bytes; reused after the call
	 * @param length how many are valid
	 * @param chunk the decoded chunk
	 * @return the element to emit
	 */
	T map(byte[] data, int length, ChatCompletionChunk chunk);

}
