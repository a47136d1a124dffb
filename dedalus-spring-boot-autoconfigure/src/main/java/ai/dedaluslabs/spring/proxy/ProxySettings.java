package ai.dedaluslabs.spring.proxy;

import java.util.List;

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
 * @since 0.1.0
 */
public record ProxySettings(List<String> allowedModels, int maxCompletionTokens, int maxChoices,
		List<String> allowedFields, List<String> allowedMcpServers, int maxConcurrentRequests, long maxRequestSize) {

	/** Copies the lists. */
	public ProxySettings {
		allowedModels = List.copyOf(allowedModels);
		allowedFields = List.copyOf(allowedFields);
		allowedMcpServers = List.copyOf(allowedMcpServers);
	}

}
