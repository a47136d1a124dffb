package ai.dedaluslabs.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The start-up failures of a Redis store that cannot work, shared by the endpoint's limits
 * ({@code dedalus.proxy.store}) and resumable streams ({@code dedalus.sse.resume.store}). Names no
 * Redis type, so it loads in applications without Spring Data Redis.
 */
final class RedisStores {

	/** The class whose presence the Redis stores need. */
	static final String CONNECTION_FACTORY = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

	private RedisStores() {
	}

	/**
	 * The application's reactive Redis connection, or a failure that names the fix.
	 * @param connection the connection, or {@code null} when the application has none
	 * @param property the property that asked for Redis
	 * @return the connection
	 */
	static <T> T require(@Nullable T connection, String property) {
		if (connection == null) {
			throw new DedalusConfigurationException(property,
					property + "=redis, but the application has no reactive Redis connection",
					"Add spring-boot-starter-data-redis (it brings Lettuce) and set spring.data.redis.*, or set "
							+ property + "=memory.",
					null);
		}
		return connection;
	}

	/**
	 * The failure of a Redis store without Spring Data Redis on the classpath.
	 * @param property the property that asked for Redis
	 * @return the failure, to throw
	 */
	static DedalusConfigurationException missingLibrary(String property) {
		return new DedalusConfigurationException(property,
				property + "=redis, but Spring Data Redis is not on the classpath",
				"Add spring-boot-starter-data-redis and set spring.data.redis.*, or set " + property + "=memory.", null);
	}

}
