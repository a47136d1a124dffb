package ai.dedaluslabs.spring.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.PoolSettings;
import ai.dedaluslabs.client.Timeouts;
import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The one place where {@link DedalusProperties} become client settings, including the
 * {@code DEDALUS_API_KEY} and {@code DEDALUS_BASE_URL} environment variables the official SDKs
 * read. Every setting that cannot work is reported as a {@link DedalusConfigurationException}
 * naming its property.
 */
final class DedalusPropertiesMapper {

	private static final Pattern PROPERTY = Pattern.compile("dedalus\\.[a-z0-9.-]*[a-z0-9]");

	private final DedalusProperties properties;

	private final Environment environment;

	DedalusPropertiesMapper(DedalusProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	/** The API key from the property, else from {@code DEDALUS_API_KEY}. */
	@Nullable String apiKey() {
		return firstText(this.properties.getApiKey(), this.environment.getProperty("DEDALUS_API_KEY"));
	}

	/** The base URL from the property, else from {@code DEDALUS_BASE_URL}. */
	@Nullable String baseUrl() {
		return firstText(this.properties.getBaseUrl(), this.environment.getProperty("DEDALUS_BASE_URL"));
	}

	/** A builder holding every {@code dedalus.*} setting. */
	DedalusClient.Builder builder() {
		DedalusProperties properties = this.properties;
		try {
			DedalusClient.Builder builder = DedalusClient.builder()
				.apiKey(apiKey())
				.defaultModel(properties.getDefaultModel())
				.provider(properties.getProvider(), properties.getProviderKey())
				.maxRetries(properties.getMaxRetries())
				.maxEventSize(Math.toIntExact(properties.getMaxEventSize().toBytes()))
				.http2(properties.isHttp2())
				.includeUsage(properties.getStream().isIncludeUsage())
				.timeouts(new Timeouts(properties.getTimeout().getConnect(), properties.getTimeout().getResponse(),
						properties.getTimeout().getIdle(), properties.getTimeout().getTotal()))
				.pool(new PoolSettings(properties.getPool().getMaxConnections(),
						properties.getPool().getMaxPendingAcquires(), properties.getPool().getMaxIdleTime()));
			String baseUrl = baseUrl();
			builder.baseUrl((baseUrl != null) ? baseUrl : ai.dedaluslabs.client.DedalusClientOptions.DEFAULT_BASE_URL);
			properties.getHeaders().forEach(builder::header);
			return builder;
		}
		catch (ArithmeticException ex) {
			throw failure(new IllegalArgumentException(
					"dedalus.max-event-size must be below 2GB, but was " + properties.getMaxEventSize(), ex));
		}
		catch (DedalusException | IllegalArgumentException ex) {
			throw failure(ex);
		}
	}

	/** Build, reporting any invalid setting as a configuration failure. */
	static DedalusClient build(DedalusClient.Builder builder) {
		try {
			return builder.build();
		}
		catch (DedalusException | IllegalArgumentException ex) {
			throw failure(ex);
		}
	}

	static DedalusConfigurationException failure(RuntimeException ex) {
		if (ex instanceof DedalusConfigurationException configuration) {
			return configuration;
		}
		String message = String.valueOf(ex.getMessage());
		Matcher matcher = PROPERTY.matcher(message);
		String property = matcher.find() ? matcher.group() : "dedalus.*";
		return new DedalusConfigurationException(property, message, action(property), ex);
	}

	private static String action(String property) {
		return switch (property) {
			case "dedalus.api-key" -> "Set dedalus.api-key in application.yml or the DEDALUS_API_KEY environment "
					+ "variable, or set dedalus.enabled=false to switch the Dedalus integration off.";
			case "dedalus.base-url" -> "Set dedalus.base-url (or DEDALUS_BASE_URL) to an absolute http(s) URL, such "
					+ "as https://api.dedaluslabs.ai, without /v1.";
			case "dedalus.ssl.bundle" -> "Define the bundle under spring.ssl.bundle, or correct dedalus.ssl.bundle.";
			default -> "Correct " + property + " in your configuration.";
		};
	}

	private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
		if (StringUtils.hasText(first)) {
			return first;
		}
		return StringUtils.hasText(second) ? second : null;
	}

}
