package ai.dedaluslabs.spring.proxy;

import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.chat.Usage;
import org.jspecify.annotations.Nullable;

/**
 * What one request has cost so far: the usage the API reported, else an estimate from the size
 * of the request and the number of streamed choice deltas (one token each), so that a request that
 * ends before its usage chunk (aborted, failed mid-stream) is charged for what it streamed and
 * never nothing.
 *
 * <p>
 * Written by one stream's signals, which Reactive Streams serialises; read once when it ends.
 */
final class TokenTally {

	/** The tally of a request that cost nothing: the upstream refused it before any work. */
	static final TokenTally NOTHING = new TokenTally(0, 0);

	/** A rough tokens-per-byte ratio of JSON-wrapped English text, enough for an estimate. */
	private static final int BYTES_PER_TOKEN = 4;

	private final long inputEstimate;

	private long deltas;

	private long reported = -1;

	TokenTally(long requestBytes) {
		this(requestBytes, 1);
	}

	private TokenTally(long requestBytes, long atLeast) {
		this.inputEstimate = Math.max(atLeast, requestBytes / BYTES_PER_TOKEN);
	}

	/**
	 * {@link #observe} for a stream's {@code map}, which (unlike {@code doOnNext}) does not keep
	 * the stream's assembly reachable while it runs.
	 * @param raw the event
	 * @return the same event
	 */
	RawChatCompletionChunk counted(RawChatCompletionChunk raw) {
		observe(raw);
		return raw;
	}

	/**
	 * Count one streamed event: the usage it reports, else one token per choice it carries (an
	 * estimate, read without decoding the event's records).
	 * @param raw the event
	 */
	void observe(RawChatCompletionChunk raw) {
		Usage usage = raw.usage();
		if (usage != null) {
			report(usage);
		}
		this.deltas += raw.choiceCount();
	}

	/** The tally of a stream whose size is unknown: charged {@code reserve} unless it reports usage. */
	static TokenTally reserved(long reserve) {
		return new TokenTally(reserve * BYTES_PER_TOKEN, 1);
	}

	void reportTotal(long total) {
		this.reported = total;
	}

	void report(@Nullable Usage usage) {
		if (usage != null) {
			this.reported = Math.max(usage.totalTokens(), (long) usage.promptTokens() + usage.completionTokens());
		}
	}

	boolean reported() {
		return this.reported >= 0;
	}

	/** The tokens to charge: the reported usage, else the estimate (at least one token). */
	long tokens() {
		return reported() ? this.reported : this.inputEstimate + this.deltas;
	}

	long inputEstimate() {
		return this.inputEstimate;
	}

}
