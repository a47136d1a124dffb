package ai.dedaluslabs.client.json;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool arguments checked against the schema generated from their record, at every level.
 */
class JsonSchemasTests {

	enum Units {

		C, F

	}

	record Day(String sky, int high) {
	}

	record Forecast(String city, Units units, List<Day> days, Optional<Integer> wind) {
	}

	private static final Map<String, Object> SCHEMA = JsonSchemas.forTool(Forecast.class);

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = {
			"{\"city\":\"Cork\",\"units\":\"C\",\"days\":[{\"sky\":\"rain\",\"high\":11}]}|",
			"{\"city\":\"Cork\",\"units\":\"C\",\"days\":[],\"wind\":null}|",
			"{\"city\":\"Cork\",\"units\":\"K\",\"days\":[]}|'units' must be one of [C, F], but is \"K\"",
			"{\"city\":7,\"units\":\"C\",\"days\":[]}|'city' must be string, but is 7",
			"{\"city\":\"Cork\",\"units\":\"C\",\"days\":[{\"sky\":\"rain\",\"high\":\"hot\"}]}|'days[0].high' must be integer, but is \"hot\"",
			"{\"city\":\"Cork\",\"units\":\"C\",\"days\":[{\"sky\":\"rain\"}]}|missing argument 'days[0].high'",
			"{\"city\":\"Cork\",\"units\":\"C\",\"days\":[{\"sky\":\"rain\",\"high\":1,\"low\":0}]}|unknown argument 'days[0].low'",
			"{\"units\":\"C\",\"days\":[]}|missing argument 'city'" })
	void argumentsAreCheckedAtEveryLevel(String arguments, String problem) {
		String found = JsonSchemas.mismatch(SCHEMA, WireJson.defaultMapper().readTree(arguments));
		if (problem == null) {
			assertThat(found).isNull();
		}
		else {
			assertThat(found).startsWith(problem);
		}
	}

}
