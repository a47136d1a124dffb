package ai.dedaluslabs.client.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import ai.dedaluslabs.client.json.JsonSchemas;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * The {@code response_format} of a request: plain text, any JSON object, or JSON that follows a
 * schema generated from a record, in OpenAI's strict mode ({@code strict: true}, every property
 * required, optional ones nullable, no other properties), so the answer reads back into the record
 * with {@link ChatCompletion#parse(Class)}.
 *
 * <pre>
 * record Verdict(String city, int degrees) {}
 * ChatCompletion answer = client.chat().completions().create(ChatCompletionRequest.builder()
 *         .addMessage(ChatMessage.user("Weather in Dublin, as JSON"))
 *         .responseFormat(ResponseFormat.jsonSchema(Verdict.class))
 *         .build());
 * Verdict verdict = answer.parse(Verdict.class);
 * </pre>
 *
 * @since 0.1.0
 */
public final class ResponseFormat {

	private final Map<String, Object> json;

	private final @Nullable Class<?> type;

	private ResponseFormat(Map<String, Object> json, @Nullable Class<?> type) {
		this.json = json;
		this.type = type;
	}

	/**
	 * Plain text, the default.
	 * @return the format
	 */
	public static ResponseFormat text() {
		return new ResponseFormat(Map.of("type", "text"), null);
	}

	/**
	 * Any JSON object.
	 * @return the format
	 */
	public static ResponseFormat jsonObject() {
		return new ResponseFormat(Map.of("type", "json_object"), null);
	}

	/**
	 * JSON that follows the strict schema of a type.
	 * @param type the type, a record
	 * @return the format
	 */
	public static ResponseFormat jsonSchema(Class<?> type) {
		Objects.requireNonNull(type, "type");
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("name", type.getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_"));
		schema.put("strict", true);
		schema.put("schema", JsonSchemas.strict(type));
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("type", "json_schema");
		json.put("json_schema", schema);
		return new ResponseFormat(Map.copyOf(json), type);
	}

	/**
	 * The format as it is sent.
	 * @return the JSON object, as a map
	 */
	@JsonValue
	public Map<String, Object> toJson() {
		return this.json;
	}

	/**
	 * The type a JSON schema format was made from.
	 * @return the type, or {@code null} for text and JSON object formats
	 */
	public @Nullable Class<?> type() {
		return this.type;
	}

	@Override
	public String toString() {
		return "ResponseFormat" + this.json;
	}

}
