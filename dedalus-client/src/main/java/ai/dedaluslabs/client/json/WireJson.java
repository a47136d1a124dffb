package ai.dedaluslabs.client.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper for the wire. Settings that decide what goes over the wire are pinned here, so
 * an application's own Jackson configuration (for example {@code spring.jackson.*}) can add
 * modules but never change the API's field names, drop unknown-field tolerance, or send
 * {@code null}s. One JSON value per document: trailing content after it is an error, so a
 * truncated or concatenated payload is never half-read.
 *
 * @since 0.1.0
 */
public final class WireJson {

	private static final JsonMapper DEFAULT = pin(JsonMapper.builder());

	private WireJson() {
	}

	/**
	 * The mapper used when the application gives none.
	 * @return a shared, immutable mapper
	 */
	public static JsonMapper defaultMapper() {
		return DEFAULT;
	}

	/**
	 * A wire mapper derived from an application's mapper: its modules are kept, the wire settings
	 * are pinned.
	 * @param base the application's mapper, or {@code null} for the default
	 * @return the wire mapper
	 */
	public static JsonMapper derive(@Nullable JsonMapper base) {
		return (base != null) ? pin(base.rebuild()) : DEFAULT;
	}

	private static JsonMapper pin(JsonMapper.Builder builder) {
		return builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL)
				.withContentInclusion(JsonInclude.Include.NON_NULL))
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
			.disable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(SerializationFeature.INDENT_OUTPUT)
			.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
			.build();
	}

}
