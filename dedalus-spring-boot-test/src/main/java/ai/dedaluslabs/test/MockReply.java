package ai.dedaluslabs.test;

/**
 * One scripted answer of the {@link DedalusMockServer}: a stream ({@link StreamScript}), a
 * non-streamed completion ({@link CompletionReply}) or an HTTP error ({@link ErrorReply}).
 *
 * @since 0.1.0
 */
public sealed interface MockReply permits StreamScript, CompletionReply, ErrorReply {

	/**
	 * A stream that writes this text as token chunks, finishes with {@code stop}, reports usage
	 * and ends with {@code [DONE]}.
	 * @param text the answer
	 * @return a script to refine further
	 */
	static StreamScript stream(String text) {
		return StreamScript.create().text(text);
	}

	/**
	 * A non-streamed completion with this text.
	 * @param text the answer
	 * @return the reply
	 */
	static CompletionReply completion(String text) {
		return CompletionReply.of(text);
	}

	/**
	 * An HTTP error with the API's error body.
	 * @param status the status, such as 429
	 * @return the reply, to refine with a message, {@code retry-after} and request id
	 */
	static ErrorReply error(int status) {
		return ErrorReply.of(status);
	}

}
