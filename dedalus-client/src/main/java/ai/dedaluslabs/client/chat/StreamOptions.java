package ai.dedaluslabs.client.chat;

import org.jspecify.annotations.Nullable;

/**
 * Options for a streamed request.
 *
 * @param includeUsage whether the API appends a final chunk with token usage and empty
 * {@code choices}; {@code null} for the API's default
 * @since 0.1.0
 */
public record StreamOptions(@Nullable Boolean includeUsage) {

	/**
	 * Ask for the final usage chunk.
	 * @return options with {@code include_usage: true}
	 */
	public static StreamOptions withUsage() {
		return new StreamOptions(true);
	}

}
