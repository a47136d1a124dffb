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

	/**
	 * Map an event that has been checked but not decoded, when {@link #defersRecords()}: its
	 * records are made from its bytes later, if anyone asks for them.
	 * @param data the event's data bytes, as for {@link #map}
	 * @param offset where the event's data starts
	 * @param length how many bytes it has
	 * @param model the model the event names, empty when none
	 * @param choices how many choices it has
	 * @return the element to emit
	 */
	default T mapChecked(byte[] data, int offset, int length, String model, int choices) {
		throw new UnsupportedOperationException("This mapper needs each event's records");
	}

	/**
	 * Whether this mapper can do without the records of the common chunk
	 * ({@link #mapChecked}), so that the decoder only checks such events.
	 * @return {@code true} to be given checked events
	 */
	default boolean defersRecords() {
		return false;
	}

}
