package ai.dedaluslabs.sample;

import ai.dedaluslabs.client.runner.DedalusTool;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The agent mode's local tool: a bean whose {@link DedalusTool} method the {@code DedalusRunner}
 * bean offers to every run. (A stand-in: it always rains.)
 */
@Component
public class LocalWeather {

	/**
	 * Where and in which units.
	 *
	 * @param city the city
	 * @param units {@code c} or {@code f}
	 */
	public record Query(@JsonPropertyDescription("The city") String city,
			@JsonPropertyDescription("c or f") @Nullable String units) {
	}

	/**
	 * The weather now.
	 * @param query where and in which units
	 * @return the weather
	 */
	@DedalusTool(name = "get_weather", description = "Get the current weather in a city")
	public String now(Query query) {
		boolean fahrenheit = "f".equalsIgnoreCase(query.units());
		return "Rain, " + (fahrenheit ? "54 °F" : "12 °C") + " in " + query.city();
	}

}
