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
	 * Why arguments do not fit a schema, or {@code null} when they do. Checked at every level: the
	 * type ({@code string}, {@code integer}, {@code number}, {@code boolean}, {@code array},
	 * {@code object}, {@code null}, or a list of them), {@code enum} values, required and unknown
	 * properties of objects (no others are allowed), and the items of arrays.
	 * @param schema the schema, as {@link #forTool} makes it
	 * @param arguments the arguments
	 * @return the reason, naming the argument's path, or {@code null}
	 */
	public static @org.jspecify.annotations.Nullable String mismatch(Map<String, Object> schema,
			tools.jackson.databind.JsonNode arguments) {
		if (!arguments.isObject()) {
			return "the arguments must be a JSON object";
		}
		return mismatch(schema, arguments, "");
	}

	private static @org.jspecify.annotations.Nullable String mismatch(Map<?, ?> schema,
			tools.jackson.databind.JsonNode value, String path) {
		String where = path.isEmpty() ? "the arguments" : "'" + path + "'";
		Object type = schema.get("type");
		if (type != null && !typeMatches(type, value)) {
			return where + " must be " + ((type instanceof java.util.List<?> types) ? "one of " + types : type)
					+ ", but is " + describe(value);
		}
		if (schema.get("enum") instanceof java.util.List<?> values && !value.isNull()) {
			boolean known = false;
			for (Object allowed : values) {
				known |= value.isString() ? value.asString().equals(String.valueOf(allowed))
						: value.toString().equals(String.valueOf(allowed));
			}
			if (!known) {
				return where + " must be one of " + values + ", but is " + value;
			}
		}
		if (value.isObject()) {
			Map<?, ?> properties = (schema.get("properties") instanceof Map<?, ?> map) ? map : Map.of();
			for (String name : value.propertyNames()) {
				if (!properties.containsKey(name)) {
					return "unknown argument '" + join(path, name) + "'; the arguments there are " + properties.keySet();
				}
			}
			java.util.List<?> required = (schema.get("required") instanceof java.util.List<?> list) ? list
					: java.util.List.of();
			for (Object name : required) {
				if (!value.has(String.valueOf(name)) || value.get(String.valueOf(name)).isNull()) {
					return "missing argument '" + join(path, String.valueOf(name)) + "'";
				}
			}
			for (String name : value.propertyNames()) {
				// An optional argument may be given as null.
				boolean optionalNull = value.get(name).isNull() && !required.contains(name);
				if (!optionalNull && properties.get(name) instanceof Map<?, ?> property) {
					String problem = mismatch(property, value.get(name), join(path, name));
					if (problem != null) {
						return problem;
					}
				}
			}
		}
		if (value.isArray() && schema.get("items") instanceof Map<?, ?> items) {
			for (int i = 0; i < value.size(); i++) {
				String problem = mismatch(items, value.get(i), path + "[" + i + "]");
				if (problem != null) {
					return problem;
				}
			}
		}
		return null;
	}

	private static boolean typeMatches(Object type, tools.jackson.databind.JsonNode value) {
		if (type instanceof java.util.List<?> types) {
			for (Object one : types) {
				if (typeMatches(one, value)) {
					return true;
				}
			}
			return false;
		}
		return switch (String.valueOf(type)) {
			case "string" -> value.isString();
			case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
			case "number" -> value.isNumber();
			case "boolean" -> value.isBoolean();
			case "array" -> value.isArray();
			case "object" -> value.isObject();
			case "null" -> value.isNull();
			default -> true;
		};
	}

	private static String describe(tools.jackson.databind.JsonNode value) {
		String text = value.toString();
		return (text.length() > 40) ? text.substring(0, 37) + "..." : text;
	}

	private static String join(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
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
