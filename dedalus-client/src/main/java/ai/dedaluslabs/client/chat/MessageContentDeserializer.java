package ai.dedaluslabs.client.chat;

import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads message content written as a JSON string or as an array of parts.
 */
final class MessageContentDeserializer extends ValueDeserializer<MessageContent> {

	@Override
	public MessageContent deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() == JsonToken.VALUE_STRING) {
			return new MessageContent.Text(parser.getString());
		}
		List<ContentPart> parts = context.readValue(parser,
				context.getTypeFactory().constructCollectionType(List.class, ContentPart.class));
		return new MessageContent.Parts(parts);
	}

}
