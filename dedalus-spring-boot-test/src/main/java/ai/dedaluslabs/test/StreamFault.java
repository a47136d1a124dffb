package ai.dedaluslabs.test;

/**
 * What goes wrong in a scripted stream, after a number of chunks. A closed set of named cases, so
 * a test says which failure it means.
 *
 * @since 0.1.0
 */
public sealed interface StreamFault {

	/**
	 * How many chunks are written before the fault.
	 * @return the number of chunks
	 */
	int afterChunks();

	/**
	 * The connection is cut in the middle of the next event, as a crashed proxy would.
	 * @param afterChunks chunks written first
	 * @return the fault
	 */
	static StreamFault dropConnection(int afterChunks) {
		return new DropConnection(afterChunks);
	}

	/**
	 * The server says nothing more, holding the connection open, until the mock server closes.
	 * @param afterChunks chunks written first
	 * @return the fault
	 */
	static StreamFault stall(int afterChunks) {
		return new Stall(afterChunks);
	}

	/**
	 * An event whose data is not valid JSON.
	 * @param afterChunks chunks written first
	 * @return the fault
	 */
	static StreamFault malformedEvent(int afterChunks) {
		return new MalformedEvent(afterChunks);
	}

	/**
	 * An {@code event: error} inside the 200 stream, as the API sends when a provider fails.
	 * @param afterChunks chunks written first
	 * @param type the error type, such as {@code server_error}
	 * @param message the error message
	 * @return the fault
	 */
	static StreamFault errorEvent(int afterChunks, String type, String message) {
		return new ErrorEvent(afterChunks, type, message);
	}

	/**
	 * The connection is cut mid-event.
	 *
	 * @param afterChunks chunks written first
	 */
	record DropConnection(int afterChunks) implements StreamFault {
	}

	/**
	 * The stream goes silent.
	 *
	 * @param afterChunks chunks written first
	 */
	record Stall(int afterChunks) implements StreamFault {
	}

	/**
	 * An undecodable event.
	 *
	 * @param afterChunks chunks written first
	 */
	record MalformedEvent(int afterChunks) implements StreamFault {
	}

	/**
	 * An error event, after which the stream ends.
	 *
	 * @param afterChunks chunks written first
	 * @param type the error type
	 * @param message the error message
	 */
	record ErrorEvent(int afterChunks, String type, String message) implements StreamFault {
	}

}
