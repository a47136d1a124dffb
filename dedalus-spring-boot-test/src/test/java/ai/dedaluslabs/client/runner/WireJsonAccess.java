package ai.dedaluslabs.client.runner;

import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.databind.JsonNode;

final class WireJsonAccess {

	private WireJsonAccess() {
	}

	static JsonNode tree(String json) {
		return WireJson.defaultMapper().readTree(json);
	}

}
