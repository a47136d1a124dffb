package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a model given as a string, an object or a list of either.
 */
final class ModelSpecDeserializer extends ValueDeserializer<ModelSpec> {

	@Override
	public ModelSpec deserialize(JsonParser parser, DeserializationContext context) {
		return read(context.readTree(parser), context);
	}

	private static ModelSpec read(JsonNode node, DeserializationContext context) {
		if (node.isString()) {
			return new ModelSpec.Id(node.stringValue());
		}
		if (node.isArray()) {
			List<ModelSpec> models = new ArrayList<>(node.size());
			for (JsonNode element : node) {
				models.add(read(element, context));
			}
			return new ModelSpec.Routing(models);
		}
		if (node.isObject()) {
			JsonNode settings = node.get("settings");
			@SuppressWarnings("unchecked")
			Map<String, Object> settingsMap = (settings == null || settings.isNull()) ? null
					: context.readTreeAsValue(settings, Map.class);
			return new ModelSpec.WithSettings(node.path("model").asString(""), settingsMap);
		}
		throw new IllegalArgumentException("model must be a string, an object {model, settings} or a list of them, not " + node.getNodeType());
	}

	static void requireModelId(String id) {
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("model must not be blank; use an id such as \"openai/gpt-5-nano\"");
		}
	}

}
