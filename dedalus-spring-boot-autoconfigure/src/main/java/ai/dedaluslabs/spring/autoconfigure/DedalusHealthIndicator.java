package ai.dedaluslabs.spring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.RequestOptions;
import ai.dedaluslabs.client.Timeouts;
import ai.dedaluslabs.client.error.ApiStatusException;
import ai.dedaluslabs.client.models.Model;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the Dedalus API as this application sees it: {@code GET /v1/models} with a short time
 * limit and no retry. The result is cached, so a health endpoint polled every few seconds does not
 * become load on the API (or on the application's rate limit). Details never carry the key.
 *
 * @since 0.1.0
 */
public class DedalusHealthIndicator implements HealthIndicator {

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final DedalusClient client;

	private final Duration cacheFor;

	private final Clock clock;

	private volatile @Nullable Checked last;

	/**
	 * Create an indicator.
	 * @param client the client to check
	 * @param cacheFor how long a result is reused
	 * @param clock the clock for the cache
	 */
	public DedalusHealthIndicator(DedalusClient client, Duration cacheFor, Clock clock) {
		this.client = client;
		this.cacheFor = cacheFor;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Checked checked = this.last;
		if (checked != null && checked.at().plus(this.cacheFor).isAfter(now)) {
			return checked.health();
		}
		Health health = check();
		this.last = new Checked(health, now);
		return health;
	}

	private Health check() {
		String baseUrl = this.client.options().baseUrl().toString();
		Timeouts quick = this.client.options().timeouts().withResponse(CHECK_TIMEOUT).withTotal(CHECK_TIMEOUT);
		try {
			List<Model> models = this.client.models()
				.listAsync(RequestOptions.defaults().withMaxRetries(0).withTimeouts(quick))
				.block(CHECK_TIMEOUT.plusSeconds(1));
			return Health.up().withDetail("baseUrl", baseUrl).withDetail("models", (models != null) ? models.size() : 0)
				.build();
		}
		catch (ApiStatusException ex) {
			return Health.down().withDetail("baseUrl", baseUrl).withDetail("status", ex.statusCode())
				.withDetail("error", ex.getMessage())
				.build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("baseUrl", baseUrl).withDetail("error", String.valueOf(ex.getMessage()))
				.build();
		}
	}

	private record Checked(Health health, Instant at) {
	}

}
