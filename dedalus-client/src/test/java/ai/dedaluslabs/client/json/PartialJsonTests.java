package ai.dedaluslabs.client.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The longest valid prefix of a streaming JSON answer, closed.
 */
class PartialJsonTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"city\":\"Dub|{\"city\":\"Dub\"}",
			"{\"city\":\"Dublin\",\"deg|{\"city\":\"Dublin\"}", "{\"city\":\"Dublin\",\"degrees\":1|{\"city\":\"Dublin\"}",
			"{\"city\":\"Dublin\",\"degrees\":12,|{\"city\":\"Dublin\",\"degrees\":12}",
			"{\"items\":[1,2,{\"a\":tr|{\"items\":[1,2,{}]}", "{\"s\":\"a\\|{\"s\":\"a\"}",
			"{\"s\":\"x\\u00|{\"s\":\"x\"}", "{\"s\":\"x\\u00e9|{\"s\":\"xé\"}", "[|[]", "{|{}",
			"{\"a\":{\"b\":[\"c\",\"d|{\"a\":{\"b\":[\"c\",\"d\"]}}", "{\"a\":null,\"b\":fal|{\"a\":null}",
			"{\"a\": [ ] , \"b\" : \"|{\"a\":[],\"b\":\"\"}" })
	void closesTheLongestValidPrefix(String prefix, String expected) {
		assertThat(PartialJson.parse(prefix)).isEqualTo(WireJson.defaultMapper().readTree(expected));
	}

	@Test
	void nothingCompleteIsNull() {
		assertThat(PartialJson.parse("")).isNull();
		assertThat(PartialJson.parse("  ")).isNull();
		assertThat(PartialJson.parse("12")).as("a number that may go on").isNull();
		assertThat(PartialJson.parse("tru")).isNull();
	}

	@Test
	void everyPrefixOfADocumentReadsAndTheWholeReadsAsItself() {
		String document = "{\"city\":\"Trieste\",\"days\":[{\"sky\":\"rain\",\"high\":12.5,\"wind\":null},"
				+ "{\"sky\":\"sun \\\"at last\\\"\",\"high\":-3e2,\"wind\":true}],\"note\":\"\\u00e9t\\u00e9\"}";
		JsonNode previous = null;
		for (int end = 1; end <= document.length(); end++) {
			JsonNode value = PartialJson.parse(document.substring(0, end));
			assertThat(value).as("prefix %s", document.substring(0, end)).isNotNull();
			assertThat(value.isObject()).isTrue();
			if (previous != null) {
				// A value only grows: every key seen stays.
				for (String key : previous.propertyNames()) {
					assertThat(value.has(key)).as("key %s kept at %d", key, end).isTrue();
				}
			}
			previous = value;
		}
		assertThat(previous).isEqualTo(WireJson.defaultMapper().readTree(document));
	}

}
