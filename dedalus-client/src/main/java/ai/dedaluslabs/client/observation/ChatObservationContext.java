package ai.dedaluslabs.client.observation;

import ai.dedaluslabs.client.chat.Usage;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one chat operation (a {@code create}, {@code createAsync} or a whole
 * stream, retries included) while it is observed: the model asked for and the one that answered,
 * the usage the API reported, when the first chunk came and how the operation ended.
 *
 * @since 0.1.0
 */
public final class ChatObservationContext extends Observation.Context {

	/** How an operation ended. */
	public enum Outcome {

		/** Completed normally. */
		COMPLETED,
		/** Failed with an error. */
		ERROR,
		/** The subscriber cancelled (for example a closed browser tab). */
		CANCELLED

	}

	private final String requestModel;

	private final boolean streaming;

	private final long startNanos = System.nanoTime();

	private volatile @Nullable String responseModel;

	private volatile @Nullable Usage usage;

	private volatile long firstChunkNanos = -1;

	private volatile Outcome outcome = Outcome.COMPLETED;

	/**
	 * Create the context of an operation.
	 * @param requestModel the model the request named, or the client's default model
	 * @param streaming whether the operation is a stream
	 */
	public ChatObservationContext(String requestModel, boolean streaming) {
		this.requestModel = requestModel;
		this.streaming = streaming;
	}

	/**
	 * The model the request named, or the client's default.
	 * @return the model id
	 */
	public String requestModel() {
		return this.requestModel;
	}

	/**
	 * Whether the operation is a stream.
	 * @return {@code true} for {@code stream}
	 */
	public boolean streaming() {
		return this.streaming;
	}

	/**
	 * The model the response named.
	 * @return the model, or {@code null} when no response named one
	 */
	public @Nullable String responseModel() {
		return this.responseModel;
	}

	/**
	 * Record the model the response named.
	 * @param responseModel the model
	 */
	public void responseModel(@Nullable String responseModel) {
		if (responseModel != null && !responseModel.isEmpty()) {
			this.responseModel = responseModel;
		}
	}

	/**
	 * The usage the API reported.
	 * @return the usage, or {@code null} when none was reported (a cancelled stream, an error)
	 */
	public @Nullable Usage usage() {
		return this.usage;
	}

	/**
	 * Record the usage the API reported.
	 * @param usage the usage
	 */
	public void usage(@Nullable Usage usage) {
		if (usage != null) {
			this.usage = usage;
		}
	}

	/**
	 * Record that the first chunk arrived now, if none had.
	 */
	public void firstChunk() {
		if (this.firstChunkNanos < 0) {
			this.firstChunkNanos = System.nanoTime() - this.startNanos;
		}
	}

	/**
	 * The time from the start of the operation to its first chunk.
	 * @return nanoseconds, or {@code -1} when no chunk arrived
	 */
	public long firstChunkNanos() {
		return this.firstChunkNanos;
	}

	/**
	 * How the operation ended.
	 * @return the outcome
	 */
	public Outcome outcome() {
		return this.outcome;
	}

	/**
	 * Record how the operation ended.
	 * @param outcome the outcome
	 */
	public void outcome(Outcome outcome) {
		this.outcome = outcome;
	}

}
