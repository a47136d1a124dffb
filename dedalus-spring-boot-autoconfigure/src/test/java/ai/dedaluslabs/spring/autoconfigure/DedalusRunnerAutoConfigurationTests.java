package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.runner.DedalusRunner;
import ai.dedaluslabs.client.runner.DedalusTool;
import ai.dedaluslabs.client.runner.LocalTool;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner bean offers the application's tools: {@link LocalTool} beans and the
 * {@link DedalusTool} methods of any bean.
 */
class DedalusRunnerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DedalusAutoConfiguration.class, DedalusRunnerAutoConfiguration.class))
		.withPropertyValues("dedalus.api-key=sk-runner");

	record City(String city) {
	}

	public static class WeatherDesk {

		@DedalusTool(name = "get_weather", description = "Get the current weather in a city")
		public String weather(City where) {
			return "Rain in " + where.city();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tools {

		@Bean
		WeatherDesk weatherDesk() {
			return new WeatherDesk();
		}

		@Bean
		LocalTool tide() {
			return LocalTool.of("get_tide", "The next high tide", City.class, (where) -> "at noon");
		}

	}

	@Test
	void theRunnerOffersToolBeansAndDedalusToolMethods() {
		this.contextRunner.withUserConfiguration(Tools.class).run((context) -> {
			assertThat(context).hasSingleBean(DedalusRunner.class);
			assertThat(context.getBean(DedalusRunner.class).defaultTools()).extracting(LocalTool::name)
				.containsExactlyInAnyOrder("get_weather", "get_tide");
		});
	}

	@Test
	void anAuthorizationServerThatIsNotAUrlFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("dedalus.as-url=as.example.org").run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (cause.getCause() != null && !(cause instanceof DedalusConfigurationException)) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(DedalusConfigurationException.class)
				.hasMessageContaining("dedalus.as-url is not a valid http(s) URL");
		});
		this.contextRunner.withPropertyValues("dedalus.as-url=https://as.example.org")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void withoutToolsTheRunnerOffersNone() {
		this.contextRunner.run((context) -> assertThat(context.getBean(DedalusRunner.class).defaultTools()).isEmpty());
	}

}
