package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Which model Dedalus should use. The API takes a model id ({@code "openai/gpt-5-nano"}), a model
 * with provider settings ({@code {"model": ..., "settings": {...}}}), or a list of either, which
 * Dedalus uses for routing and handoff.
 *
 * @since 0.1.0
 */
@JsonDeserialize(using = ModelSpecDeserializer.class)
public sealed interface ModelSpec {

	/**
	 * A model by id.
	 * @param id the model id, such as {@code openai/gpt-5-nano}
	 * @return the spec
	 */
	static ModelSpec of(String id) {
		return new Id(id);
	}

	/**
	 * A model with settings.
	 * @param model the model id
	 * @param settings provider settings for this model
	 * @return the spec
	 */
	static ModelSpec of(String model, Map<String, Object> settings) {
		return new WithSettings(model, settings);
	}

	/**
	 * Several models, for routing and handoff.
	 * @param models the candidates, each an {@link Id} or {@link WithSettings}
	 * @return the spec
	 */
	static ModelSpec route(List<ModelSpec> models) {
		return new Routing(models);
	}

	/**
	 * The id of the model this spec names first, for logs and metrics.
	 * @return the first model id
	 */
	String primaryId();

	/**
	 * A model id, sent as a JSON string.
	 *
	 * @param id the model id
	 */
	record Id(@JsonValue String id) implements ModelSpec {

		/**
		 * Validates the id.
		 */
		public Id {
			ModelSpecDeserializer.requireModelId(id);
		}

		@Override
		public String primaryId() {
			return this.id;
		}

	}

	/**
	 * A model with provider settings, sent as {@code {"model": ..., "settings": ...}}.
	 *
	 * @param model the model id
	 * @param settings the settings, or {@code null}
	 */
	record WithSettings(String model, @Nullable Map<String, Object> settings) implements ModelSpec {

		/**
		 * Validates the model id.
		 */
		public WithSettings {
			ModelSpecDeserializer.requireModelId(model);
		}

		@Override
		public String primaryId() {
			return this.model;
		}

	}

	/**
	 * Several models, sent as a JSON array.
	 *
	 * @param models the candidates
	 */
	record Routing(@JsonValue List<ModelSpec> models) implements ModelSpec {

		/**
		 * Validates and copies the candidates.
		 */
		public Routing {
			Objects.requireNonNull(models, "models");
			if (models.isEmpty()) {
				throw new IllegalArgumentException("model list must not be empty; name at least one model");
			}
			for (ModelSpec model : models) {
				if (model instanceof Routing) {
					throw new IllegalArgumentException("model list must hold model ids or {model, settings}, not nested lists");
				}
			}
			models = List.copyOf(models);
		}

		@Override
		public String primaryId() {
			return this.models.get(0).primaryId();
		}

	}

}
