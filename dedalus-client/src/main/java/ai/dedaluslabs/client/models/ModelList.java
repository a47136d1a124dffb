package ai.dedaluslabs.client.models;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /v1/models}.
 *
 * @param object the object type, {@code list}, or {@code null}
 * @param data the models; empty when none
 * @since 0.1.0
 */
public record ModelList(@Nullable String object, List<Model> data) {

	/**
	 * Normalises an absent list.
	 */
	public ModelList {
		data = (data != null) ? List.copyOf(data) : List.of();
	}

}
