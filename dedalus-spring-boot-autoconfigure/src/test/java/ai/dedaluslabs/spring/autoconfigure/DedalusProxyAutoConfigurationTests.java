package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.MemoryProxyStore;
import ai.dedaluslabs.spring.proxy.ProxyStore;
import ai.dedaluslabs.spring.proxy.ProxyTokenMeter;
import ai.dedaluslabs.spring.proxy.redis.RedisProxyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which store and meter the endpoint gets, and the start-up failures that name the property and
 * the fix when the setting cannot work.
 */
class DedalusProxyAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusSseAutoConfiguration.class,
				DedalusProxyAutoConfiguration.class))
		.withPropertyValues("dedalus.api-key=sk-proxy-config", "dedalus.proxy.enabled=true");

	@Test
	void theStoreIsInMemoryByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DedalusProxy.class);
			assertThat(context).getBean(ProxyStore.class).isInstanceOf(MemoryProxyStore.class);
			assertThat(context).doesNotHaveBean(ProxyTokenMeter.class);
		});
	}

	@Test
	void redisStoreUsesTheApplicationsRedisConnection() {
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("dedalus.proxy.store=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(ProxyStore.class).isInstanceOf(RedisProxyStore.class);
			});
	}

	@Test
	void redisStoreWithoutAConnectionFailsNamingTheFix() {
		this.contextRunner.withPropertyValues("dedalus.proxy.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(DedalusConfigurationException.class)
				.hasMessageContaining("no reactive Redis connection");
		});
	}

	@Test
	void redisStoreWithoutSpringDataRedisFailsNamingTheFix() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class))
			.withPropertyValues("dedalus.proxy.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				DedalusConfigurationException failure = (DedalusConfigurationException) rootCause(
						context.getStartupFailure());
				assertThat(failure.getMessage()).contains("Spring Data Redis is not on the classpath");
				assertThat(failure.action()).contains("spring-boot-starter-data-redis");
			});
	}

	@Test
	void aBudgetThatCannotWorkFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("dedalus.proxy.token-budget.limit=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("dedalus.proxy.token-budget.limit must be positive");
		});
	}

	@Test
	void tokensAreMeteredWhenTheApplicationHasAMeterRegistry() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(ProxyTokenMeter.class);
			ProxyTokenMeter meter = context.getBean(ProxyTokenMeter.class);
			SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
			meter.spent("completed", false, 42);
			assertThat(registry.get("dedalus.proxy.tokens").counters()).as("only what was charged").hasSize(1);
			meter.spent("completed", true, 5);
			meter.spent("completed", false, 8);
			meter.spent("cancelled", true, 3);
			assertThat(registry.get("dedalus.proxy.tokens").counters()).hasSize(3);
			assertThat(registry.get("dedalus.proxy.tokens").tag("outcome", "completed").tag("source", "reported")
				.counter()
				.count()).isEqualTo(50);
			assertThat(registry.get("dedalus.proxy.tokens").tag("outcome", "completed").tag("source", "estimated")
				.counter()
				.count()).isEqualTo(5);
			assertThat(registry.get("dedalus.proxy.tokens").tag("outcome", "cancelled").tag("source", "estimated")
				.counter()
				.count()).isEqualTo(3);
		});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof DedalusConfigurationException)) {
			cause = cause.getCause();
		}
		return cause;
	}

}
