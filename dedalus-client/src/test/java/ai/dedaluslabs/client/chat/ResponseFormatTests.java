package ai.dedaluslabs.client.chat;

import java.util.List;
import java.util.Optional;

import ai.dedaluslabs.client.error.MalformedResponseException;
import ai.dedaluslabs.client.json.WireJson;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Structured outputs: strict schemas from records, and answers read back into them.
 */
class ResponseFormatTests {

	enum Sky {

		SUN, RAIN

	}

	record Day(Sky sky, int high) {
	}

	record Forecast(@JsonPropertyDescription("The city") String city, List<Day> days, Optional<String> note,
			@Nullable Integer wind) {
	}

	private static JsonNode json(Object value) {
		return WireJson.defaultMapper().valueToTree(value);
	}

	@Test
	void aJsonSchemaFormatIsStrict() {
		JsonNode format = json(ChatCompletionRequest.builder()
			.addMessage(ChatMessage.user("Forecast"))
			.responseFormat(ResponseFormat.jsonSchema(Forecast.class))
			.build()
			.responseFormat());
		assertThat(format.get("type").asString()).isEqualTo("json_schema");
		JsonNode spec = format.get("json_schema");
		assertThat(spec.get("name").asString()).isEqualTo("Forecast");
		assertThat(spec.get("strict").asBoolean()).isTrue();
		JsonNode schema = spec.get("schema");
		assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
		assertThat(schema.get("required").toString()).contains("city", "days", "note", "wind");
		assertThat(schema.at("/properties/city/description").asString()).isEqualTo("The city");
		assertThat(schema.at("/properties/wind/type").toString()).as("optional means nullable").contains("null");
		assertThat(schema.at("/properties/note/type").toString()).contains("null");
		assertThat(schema.at("/properties/city/type").toString()).doesNotContain("null");
		JsonNode day = schema.at("/properties/days/items");
		assertThat(day.get("additionalProperties").asBoolean(true)).as("nested objects are closed too").isFalse();
		assertThat(day.at("/properties/sky/enum").toString()).isEqualTo("[\"SUN\",\"RAIN\"]");
	}

	@Test
	void textAndJsonObjectFormats() {
		assertThat(json(ResponseFormat.text()).toString()).isEqualTo("{\"type\":\"text\"}");
		assertThat(json(ResponseFormat.jsonObject()).toString()).isEqualTo("{\"type\":\"json_object\"}");
	}

	private static ChatCompletion completion(@Nullable String content, @Nullable String refusal) {
		String message = WireJson.defaultMapper()
			.writeValueAsString(new ChatCompletionMessage("assistant", content, refusal, List.of()));
		return WireJson.defaultMapper()
			.readValue("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":"
					+ "[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\"stop\"}]}", ChatCompletion.class);
	}

	@Test
	void anAnswerIsReadIntoTheRecord() {
		Forecast forecast = completion("{\"city\":\"Cork\",\"days\":[{\"sky\":\"RAIN\",\"high\":11}],\"note\":null,"
				+ "\"wind\":null}", null)
			.parse(Forecast.class);
		assertThat(forecast.city()).isEqualTo("Cork");
		assertThat(forecast.days()).containsExactly(new Day(Sky.RAIN, 11));
		assertThat(forecast.note()).isEmpty();
	}

	@Test
	void anAnswerThatIsNotTheRecordIsAMalformedResponse() {
		assertThatExceptionOfType(MalformedResponseException.class)
			.isThrownBy(() -> completion("It rains.", null).parse(Forecast.class))
			.withMessageContaining("not a Forecast in JSON");
		assertThatExceptionOfType(MalformedResponseException.class)
			.isThrownBy(() -> completion(null, "I cannot help with that").parse(Forecast.class))
			.withMessageContaining("the model refused: I cannot help with that");
	}

}
