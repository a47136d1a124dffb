package ai.dedaluslabs.client.runner;

/**
 * Why a run ended.
 *
 * @since 0.1.0
 */
public enum RunFinishReason {

	/** The model answered without asking for a tool. */
	STOP,

	/**
	 * The run took {@code maxSteps} model calls and the model still asked for tools: the final
	 * output is whatever the last step said, and is likely incomplete.
	 */
	MAX_STEPS

}
