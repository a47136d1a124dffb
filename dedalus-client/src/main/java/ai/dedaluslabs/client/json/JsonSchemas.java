package ai.dedaluslabs.client.json;

import java.util.Map;
import java.util.Optional;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON schemas generated from a record (or any Jackson-readable class) by the victools generator
 * with its Jackson module: property names as Jackson writes them, descriptions from
 * {@code @JsonPropertyDescription} and {@code @JsonClassDescription}, enums as their values, nested
 * records inline, no other properties allowed. Two flavours: for tool parameters, every property is
 * required except {@link Optional} and {@code @Nullable} ones; for strict structured outputs, every
 * property is required and those are nullable instead, as OpenAI's strict mode demands.
 */
public final class JsonSchemas {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final SchemaGenerator TOOL = generator(false);

	private static final SchemaGenerator STRICT = generator(true);

	private JsonSchemas() {
	}

	/**
	 * The schema of a tool's parameters.
	 * @param parameters the parameters type
	 * @return the schema
	 */
	public static Map<String, Object> forTool(Class<?> parameters) {
		return generate(TOOL, parameters);
	}

	/**
	 * A strict schema: every property required, optional ones nullable.
	 * @param type the type
	 * @return the schema
	 */
	public static Map<String, Object> strict(Class<?> type) {
		return generate(STRICT, type);
	}

	private static Map<String, Object> generate(SchemaGenerator generator, Class<?> type) {
		ObjectNode schema = generator.generateSchema(type);
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
	 * @param schema the schema, as {@link #forTool} makes it
	 * @param arguments the arguments
	 * @return the reason, or {@code null}
	 */
	public static @org.jspecify.annotations.Nullable String mismatch(Map<String, Object> schema,
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

	private static SchemaGenerator generator(boolean strict) {
		SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(WireJson.defaultMapper(),
				SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
			.with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
			.with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.FLATTENED_ENUMS_FROM_TOSTRING,
					Option.INLINE_ALL_SCHEMAS);
		if (strict) {
			config.forFields()
				.withRequiredCheck((field) -> true)
				.withNullableCheck((field) -> field.getType().isInstanceOf(Optional.class) || nullable(field.getRawMember()));
		}
		else {
			config.forFields()
				.withRequiredCheck(
						(field) -> !field.getType().isInstanceOf(Optional.class) && !nullable(field.getRawMember()));
		}
		return new SchemaGenerator(config.build());
	}

}
