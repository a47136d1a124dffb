package ai.dedaluslabs.spring.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The backend owner's rules for the front-end endpoint, as {@code dedalus.proxy.*} sets them.
 *
 * @param allowedModels glob patterns over whole model ids; empty for the client's default model
 * @param maxCompletionTokens the largest completion a caller may ask for, and the one set when it
 * asks for none
 * @param maxChoices the most choices ({@code n}) a request may ask for
 * @param allowedFields request fields beyond the OpenAI-compatible ones that callers may send
 * (wire names, and {@code model.settings} for a model given with its settings)
 * @param allowedMcpServers glob patterns over the MCP server slugs or URLs callers may name
 * @param maxConcurrentRequests the most requests, streamed or not, one caller may have open at once
 * @param maxRequestSize the largest request body, in bytes
 * @param tokenBudget the tokens each caller may spend per window, or {@code null} for no budget
 * @param bodyReadTimeout the longest a caller may take to send its request body
 * @param leaseTtl how long a request's place lasts in a shared store unless renewed (it is renewed
 * while the request lives), so that a crashed instance's places free themselves
 * @param storeTimeout the longest the store may take to answer before the request is refused with
 * 503
 * @since 0.1.0
 */
public record ProxySettings(List<String> allowedModels, int maxCompletionTokens, int maxChoices,
		List<String> allowedFields, List<String> allowedMcpServers, int maxConcurrentRequests, long maxRequestSize,
		@Nullable TokenBudget tokenBudget, Duration bodyReadTimeout, Duration leaseTtl, Duration storeTimeout) {

	/** Checks the values and copies the lists. */
	public ProxySettings {
		allowedModels = List.copyOf(allowedModels);
		allowedFields = List.copyOf(allowedFields);
		allowedMcpServers = List.copyOf(allowedMcpServers);
		positive(maxCompletionTokens, "max-completion-tokens");
		positive(maxChoices, "max-choices");
		positive(maxConcurrentRequests, "max-concurrent-requests");
		positive(maxRequestSize, "max-request-size");
		positive(bodyReadTimeout, "body-read-timeout");
		positive(leaseTtl, "lease-ttl");
		positive(storeTimeout, "store-timeout");
	}

	/**
	 * The rules with the defaults {@code dedalus.proxy.*} documents for everything but the models.
	 * @param allowedModels glob patterns over whole model ids; empty for the client's default model
	 * @return the settings
	 */
	public static ProxySettings defaults(List<String> allowedModels) {
		return new ProxySettings(allowedModels, 4096, 1, List.of(), List.of(), 4, 256 * 1024, null,
				Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(2));
	}

	/**
	 * A copy with a token budget.
	 * @param budget the budget, or {@code null} for none
	 * @return the copy
	 */
	public ProxySettings withTokenBudget(@Nullable TokenBudget budget) {
		return new ProxySettings(this.allowedModels, this.maxCompletionTokens, this.maxChoices, this.allowedFields,
				this.allowedMcpServers, this.maxConcurrentRequests, this.maxRequestSize, budget, this.bodyReadTimeout,
				this.leaseTtl, this.storeTimeout);
	}

	/**
	 * A copy with another limit of open requests per caller.
	 * @param max the most requests one caller may have open at once
	 * @return the copy
	 */
	public ProxySettings withMaxConcurrentRequests(int max) {
		return new ProxySettings(this.allowedModels, this.maxCompletionTokens, this.maxChoices, this.allowedFields,
				this.allowedMcpServers, max, this.maxRequestSize, this.tokenBudget, this.bodyReadTimeout, this.leaseTtl,
				this.storeTimeout);
	}

	private static void positive(long value, String property) {
		if (value <= 0) {
			throw new IllegalArgumentException(
					"dedalus.proxy." + property + " must be positive, but is " + value);
		}
	}

	private static void positive(Duration value, String property) {
		Objects.requireNonNull(value, property);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					"dedalus.proxy." + property + " must be a positive duration, but is " + value);
		}
	}

	/**
	 * Tokens (input and output, as the API reports them) each caller may spend per window. Windows
	 * are fixed and aligned to the epoch: with a window of one hour, every budget is whole again on
	 * the hour.
	 *
	 * @param limit tokens per window
	 * @param window the window's length
	 */
	public record TokenBudget(long limit, Duration window) {

		/** Checks the values. */
		public TokenBudget {
			positive(limit, "token-budget.limit");
			positive(window, "token-budget.window");
			if (window.toMillis() < 1000) {
				throw new IllegalArgumentException(
						"dedalus.proxy.token-budget.window must be at least 1s, but is " + window);
			}
		}

	}

}
