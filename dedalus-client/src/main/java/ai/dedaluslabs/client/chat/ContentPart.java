package ai.dedaluslabs.client.chat;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * One part of a multi-part user message: text or an image.
 *
 * @since 0.1.0
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
		@JsonSubTypes.Type(value = ContentPart.Image.class, name = "image_url") })
public sealed interface ContentPart {

	/**
	 * A text part.
	 * @param text the text
	 * @return the part
	 */
	static ContentPart text(String text) {
		return new Text(text);
	}

	/**
	 * An image part, by URL or {@code data:} URI.
	 * @param url an {@code https:} URL or a {@code data:image/...;base64,...} URI
	 * @return the part
	 */
	static ContentPart imageUrl(String url) {
		return new Image(new ImageUrl(url, null));
	}

	/**
	 * An image part with a detail level.
	 * @param url an {@code https:} URL or a {@code data:image/...;base64,...} URI
	 * @param detail {@code low}, {@code high} or {@code auto}
	 * @return the part
	 */
	static ContentPart imageUrl(String url, String detail) {
		return new Image(new ImageUrl(url, detail));
	}

	/**
	 * A text part ({@code type: text}).
	 *
	 * @param text the text
	 */
	record Text(String text) implements ContentPart {

		/**
		 * Validates the part.
		 */
		public Text {
			Objects.requireNonNull(text, "text");
		}

	}

	/**
	 * An image part ({@code type: image_url}).
	 *
	 * @param imageUrl the image
	 */
	record Image(ImageUrl imageUrl) implements ContentPart {

		/**
		 * Validates the part.
		 */
		public Image {
			Objects.requireNonNull(imageUrl, "imageUrl");
		}

	}

	/**
	 * Where an image is and how closely to look at it.
	 *
	 * @param url an {@code https:} URL or a {@code data:} URI
	 * @param detail {@code low}, {@code high}, {@code auto}, or {@code null} for the default
	 */
	record ImageUrl(String url, @Nullable String detail) {

		/**
		 * Validates the image reference.
		 */
		public ImageUrl {
			if (url == null || url.isBlank()) {
				throw new IllegalArgumentException("image url must not be blank; give an https: URL or a data: URI");
			}
		}

	}

}
