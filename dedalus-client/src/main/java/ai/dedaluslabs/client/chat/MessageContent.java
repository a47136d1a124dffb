package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The content of a request message: plain text, or a list of parts (text and images). On the wire
 * it is a JSON string or array, as the API expects.
 *
 * @since 0.1.0
 */
@JsonDeserialize(using = MessageContentDeserializer.class)
public sealed interface MessageContent {

	/**
	 * Plain text content.
	 * @param text the text
	 * @return the content
	 */
	static MessageContent of(String text) {
		return new Text(text);
	}

	/**
	 * Multi-part content.
	 * @param parts the parts, at least one
	 * @return the content
	 */
	static MessageContent of(List<ContentPart> parts) {
		return new Parts(parts);
	}

	/**
	 * Plain text, sent as a JSON string.
	 *
	 * @param text the text
	 */
	record Text(@JsonValue String text) implements MessageContent {

		/**
		 * Validates the text.
		 */
		public Text {
			Objects.requireNonNull(text, "text");
		}

	}

	/**
	 * Parts, sent as a JSON array.
	 *
	 * @param parts the parts
	 */
	record Parts(@JsonValue List<ContentPart> parts) implements MessageContent {

		/**
		 * Validates and copies the parts.
		 */
		public Parts {
			if (parts == null || parts.isEmpty()) {
				throw new IllegalArgumentException("content parts must not be empty; add ContentPart.text(...) or ContentPart.imageUrl(...)");
			}
			parts = List.copyOf(parts);
		}

	}

}
