package ai.dedaluslabs.client.runner;

import java.util.Map;
import java.util.Optional;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON schemas of tool parameters, generated from a record (or any Jackson-readable class) by the
 * victools generator with its Jackson module: property names as Jackson writes them, descriptions
 * from {@code @JsonPropertyDescription} and {@code @JsonClassDescription}, enums as their values,
 * nested records inline. Every property is required except {@link Optional} ones and those
 * annotated {@code @Nullable}; no other properties are allowed.
 */
final class ToolSchemas {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final SchemaGenerator GENERATOR = generator();

	private ToolSchemas() {
	}

	static Map<String, Object> of(Class<?> parameters) {
		ObjectNode schema = GENERATOR.generateSchema(parameters);
		schema.remove("$schema");
		return WireJson.defaultMapper().convertValue(schema, MAP);
	}

	/** Whether a field (a record component's) is marked {@code @Nullable}, as a type-use annotation. */
	private static boolean nullable(java.lang.reflect.Field field) {
		return field.getAnnotatedType().isAnnotationPresent(org.jspecify.annotations.Nullable.class)
				|| field.isAnnotationPresent(org.jspecify.annotations.Nullable.class);
	}

	/**
	 * Why arguments do not fit a schema's top level (an unknown or a missing property), or
	 * {@code null} when they do; the types are left to Jackson, which reads the arguments after.
	 */
	static @org.jspecify.annotations.Nullable String mismatch(Map<String, Object> schema,
			tools.jackson.databind.JsonNode arguments) {
		if (!arguments.isObject()) {
			return "the arguments must be a JSON object";
		}
		Object properties = schema.get("properties");
		Map<?, ?> known = (properties instanceof Map<?, ?> map) ? map : Map.of();
		for (String name : arguments.propertyNames()) {
			if (!known.containsKey(name)) {
				return "unknown argument '" + name + "'; the arguments are " + known.keySet();
			}
		}
		if (schema.get("required") instanceof java.util.List<?> required) {
			for (Object name : required) {
				if (!arguments.has(String.valueOf(name)) || arguments.get(String.valueOf(name)).isNull()) {
					return "missing argument '" + name + "'";
				}
			}
		}
		return null;
	}

	private static SchemaGenerator generator() {
		SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(WireJson.defaultMapper(),
				SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
			.with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
			.with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.FLATTENED_ENUMS_FROM_TOSTRING,
					Option.INLINE_ALL_SCHEMAS);
		config.forFields()
			.withRequiredCheck((field) -> !field.getType().isInstanceOf(Optional.class) && !nullable(field.getRawMember()));
		return new SchemaGenerator(config.build());
	}

}
