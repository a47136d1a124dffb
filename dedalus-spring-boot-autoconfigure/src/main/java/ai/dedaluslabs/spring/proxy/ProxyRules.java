package ai.dedaluslabs.spring.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ModelSpec;
import ai.dedaluslabs.spring.web.OpenAiErrorBody;
import org.jspecify.annotations.Nullable;

/**
 * The backend owner's rules: which models callers may use (glob patterns, {@code *} matching any
 * characters including {@code /}) and the largest completion they may ask for.
 */
final class ProxyRules {

	private final List<String> allowedModels;

	private final List<Pattern> patterns;

	private final String defaultModel;

	private final int maxCompletionTokens;

	ProxyRules(List<String> allowedModels, String defaultModel, int maxCompletionTokens) {
		this.allowedModels = allowedModels.isEmpty() ? List.of(defaultModel) : List.copyOf(allowedModels);
		this.patterns = this.allowedModels.stream().map(ProxyRules::glob).toList();
		this.defaultModel = defaultModel;
		this.maxCompletionTokens = maxCompletionTokens;
	}

	/** A refusal, or {@code null} when the request keeps every rule. */
	ProxyResult.@Nullable Json check(ChatCompletionRequest request) {
		for (String model : models(request)) {
			if (!allows(model)) {
				return ProxyResult.error(OpenAiErrorBody.invalidRequest(
						"The model '" + model + "' is not available through this endpoint", "model", "model_not_allowed"));
			}
		}
		if (request.maxTokens() != null && request.maxTokens() > this.maxCompletionTokens) {
			return ProxyResult.error(OpenAiErrorBody.invalidRequest(
					"max_tokens may be at most " + this.maxCompletionTokens + " here", "max_tokens", "max_tokens_too_large"));
		}
		if (request.maxCompletionTokens() != null && request.maxCompletionTokens() > this.maxCompletionTokens) {
			return ProxyResult.error(OpenAiErrorBody.invalidRequest(
					"max_completion_tokens may be at most " + this.maxCompletionTokens + " here", "max_completion_tokens",
					"max_tokens_too_large"));
		}
		return null;
	}

	/** The request as sent upstream: the completion limit applied when the caller set none. */
	ChatCompletionRequest apply(ChatCompletionRequest request) {
		ChatCompletionRequest.Builder upstream = request.newBuilder().streamOptions(null);
		if (request.maxTokens() == null && request.maxCompletionTokens() == null) {
			upstream.maxCompletionTokens(this.maxCompletionTokens);
		}
		return upstream.build();
	}

	boolean allows(String model) {
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(model).matches()) {
				return true;
			}
		}
		return false;
	}

	/** The model ids a caller may name exactly (patterns without wildcards). */
	List<String> literalModels() {
		return this.allowedModels.stream().filter((model) -> !model.contains("*") && !model.contains("?")).toList();
	}

	private List<String> models(ChatCompletionRequest request) {
		ModelSpec spec = request.model();
		if (spec == null) {
			return List.of(this.defaultModel);
		}
		if (spec instanceof ModelSpec.Routing routing) {
			List<String> models = new ArrayList<>();
			routing.models().forEach((model) -> models.add(model.primaryId()));
			return models;
		}
		return List.of(spec.primaryId());
	}

	private static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
