package ai.dedaluslabs.client.models;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A model the API offers.
 *
 * @param id the id to put in a request, such as {@code openai/gpt-5-nano}
 * @param object the object type, {@code model}, or {@code null}
 * @param created when it was published, in seconds since the epoch, or {@code 0}
 * @param ownedBy the organisation or provider that owns it, or {@code null}
 * @since 0.1.0
 */
public record Model(String id, @Nullable String object, long created, @Nullable String ownedBy) {

	/**
	 * Normalises an absent id.
	 */
	public Model {
		id = Objects.requireNonNullElse(id, "");
	}

}
