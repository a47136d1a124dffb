package ai.dedaluslabs.client;

/**
 * The chat endpoints of a {@link DedalusClient}.
 *
 * @since 0.1.0
 */
public final class Chat {

	private final ChatCompletions completions;

	Chat(ChatCompletions completions) {
		this.completions = completions;
	}

	/**
	 * Chat completions: {@code POST /v1/chat/completions}.
	 * @return the completions entry point
	 */
	public ChatCompletions completions() {
		return this.completions;
	}

}
