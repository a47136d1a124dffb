package ai.dedaluslabs.client.chat;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the request values of the plain shapes callers send (strings, numbers, booleans, model
 * ids, stream options, messages) straight from the tree. Each method returns {@code null} for
 * anything else: a value of another JSON type (which data binding may coerce), a message with a
 * part of another kind, or a value a constructor refuses; {@link RequestDecoding} then binds the
 * value as it always did, so results and errors stay those of data binding (a test compares the
 * two over every shape and its mutations). Unknown properties are ignored, as the wire mapper
 * ignores them.
 */
final class TreeReading {

	private TreeReading() {
	}

	static @Nullable String string(JsonNode node) {
		return node.isString() ? node.stringValue() : null;
	}

	static @Nullable Boolean bool(JsonNode node) {
		return node.isBoolean() ? node.booleanValue() : null;
	}

	static @Nullable Integer integer(JsonNode node) {
		return node.isInt() ? node.intValue() : null;
	}

	static @Nullable Long longInteger(JsonNode node) {
		return (node.isInt() || node.isLong()) ? node.longValue() : null;
	}

	static @Nullable Double number(JsonNode node) {
		if (node.isDouble()) {
			return node.doubleValue();
		}
		return node.isInt() ? (double) node.intValue() : null;
	}

	static @Nullable ModelSpec model(JsonNode node) {
		if (!node.isString() || node.stringValue().isBlank()) {
			return null;
		}
		return new ModelSpec.Id(node.stringValue());
	}

	static @Nullable StreamOptions streamOptions(JsonNode node) {
		if (!node.isObject()) {
			return null;
		}
		JsonNode includeUsage = node.get("include_usage");
		if (absent(includeUsage)) {
			return new StreamOptions(null);
		}
		return includeUsage.isBoolean() ? new StreamOptions(includeUsage.booleanValue()) : null;
	}

	static @Nullable List<ChatMessage> messages(JsonNode node) {
		if (!node.isArray()) {
			return null;
		}
		List<ChatMessage> messages = new ArrayList<>(node.size());
		for (JsonNode element : node) {
			ChatMessage message = message(element);
			if (message == null) {
				return null;
			}
			messages.add(message);
		}
		return messages;
	}

	private static @Nullable ChatMessage message(JsonNode node) {
		if (!node.isObject()) {
			return null;
		}
		JsonNode role = node.get("role");
		JsonNode name = node.get("name");
		JsonNode toolCallId = node.get("tool_call_id");
		JsonNode refusal = node.get("refusal");
		if (!stringOrAbsent(role) || !stringOrAbsent(name) || !stringOrAbsent(toolCallId) || !stringOrAbsent(refusal)) {
			return null;
		}
		JsonNode contentNode = node.get("content");
		MessageContent content = null;
		if (!absent(contentNode)) {
			if (contentNode.isString()) {
				content = new MessageContent.Text(contentNode.stringValue());
			}
			else {
				List<ContentPart> parts = contentNode.isArray() ? parts(contentNode) : null;
				if (parts == null || parts.isEmpty()) {
					return null;
				}
				content = new MessageContent.Parts(parts);
			}
		}
		JsonNode toolCallsNode = node.get("tool_calls");
		List<ToolCall> toolCalls = null;
		if (!absent(toolCallsNode)) {
			toolCalls = toolCallsNode.isArray() ? toolCalls(toolCallsNode) : null;
			if (toolCalls == null) {
				return null;
			}
		}
		try {
			return new ChatMessage(text(role), content, text(name), toolCalls, text(toolCallId), text(refusal));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable List<ContentPart> parts(JsonNode node) {
		List<ContentPart> parts = new ArrayList<>(node.size());
		for (JsonNode part : node) {
			JsonNode type = part.isObject() ? part.get("type") : null;
			if (type == null || !type.isString()) {
				return null;
			}
			if (type.stringValue().equals("text")) {
				JsonNode text = part.get("text");
				if (text == null || !text.isString()) {
					return null;
				}
				parts.add(new ContentPart.Text(text.stringValue()));
			}
			else if (type.stringValue().equals("image_url")) {
				JsonNode image = part.get("image_url");
				if (image == null || !image.isObject()) {
					return null;
				}
				JsonNode url = image.get("url");
				JsonNode detail = image.get("detail");
				if (url == null || !url.isString() || url.stringValue().isBlank() || !stringOrAbsent(detail)) {
					return null;
				}
				parts.add(new ContentPart.Image(new ContentPart.ImageUrl(url.stringValue(), text(detail))));
			}
			else {
				return null;
			}
		}
		return parts;
	}

	private static @Nullable List<ToolCall> toolCalls(JsonNode node) {
		List<ToolCall> calls = new ArrayList<>(node.size());
		for (JsonNode call : node) {
			if (!call.isObject()) {
				return null;
			}
			JsonNode id = call.get("id");
			JsonNode type = call.get("type");
			JsonNode function = call.get("function");
			if (!stringOrAbsent(id) || !stringOrAbsent(type)) {
				return null;
			}
			FunctionCall functionCall = null;
			if (!absent(function)) {
				if (!function.isObject()) {
					return null;
				}
				JsonNode name = function.get("name");
				JsonNode arguments = function.get("arguments");
				if (!stringOrAbsent(name) || !stringOrAbsent(arguments)) {
					return null;
				}
				functionCall = new FunctionCall(text(name), text(arguments));
			}
			calls.add(new ToolCall(text(id), text(type), functionCall));
		}
		return calls;
	}

	private static boolean absent(@Nullable JsonNode node) {
		return node == null || node.isNull();
	}

	private static boolean stringOrAbsent(@Nullable JsonNode node) {
		return absent(node) || node.isString();
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		return absent(node) ? null : node.stringValue();
	}

}
