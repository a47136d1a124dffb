package ai.dedaluslabs.client.internal;

import java.util.function.Function;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;

/**
 * The events of a raw stream: the API's bytes, and the records only when someone asks for them.
 * A relay passes most events on without looking inside, so the common chunk is checked where it
 * arrives (strict JSON, the same grammar the records are read with) and its records are made from
 * its bytes on first use; events the check leaves to Jackson (usage, log probabilities, anything
 * unusual) arrive decoded, as before.
 */
final class RawEvents implements EventMapper<RawChatCompletionChunk> {

	private final Function<byte[], ChatCompletionChunk> decoder;

	/**
	 * Create the mapper.
	 * @param decoder decodes an event's checked bytes, on any thread
	 */
	RawEvents(Function<byte[], ChatCompletionChunk> decoder) {
		this.decoder = decoder;
	}

	@Override
	public RawChatCompletionChunk map(byte[] data, int offset, int length, ChatCompletionChunk chunk) {
		return RawChatCompletionChunk.ofUtf8(data, offset, length, chunk);
	}

	@Override
	public RawChatCompletionChunk mapChecked(byte[] data, int offset, int length, String model, int choices) {
		return RawChatCompletionChunk.ofCheckedUtf8(data, offset, length, model, choices, this.decoder);
	}

	@Override
	public boolean defersRecords() {
		return true;
	}

}
