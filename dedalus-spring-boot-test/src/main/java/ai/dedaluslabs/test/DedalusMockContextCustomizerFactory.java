package ai.dedaluslabs.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link DedalusMockServer} for test contexts of classes annotated with
 * {@link AutoConfigureDedalusMock}. Registered in {@code META-INF/spring.factories}.
 */
class DedalusMockContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean annotated = MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
			.isPresent(AutoConfigureDedalusMock.class);
		return annotated ? new MockServerCustomizer() : null;
	}

	/** Equal to every other instance, so contexts that use the mock server are cached together. */
	static final class MockServerCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			DedalusMockServer server = DedalusMockServer.start();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("dedalusMockServer", Map.of("dedalus.base-url", server.baseUrl(),
						"dedalus.api-key", DedalusMockServer.TEST_API_KEY)));
			context.getBeanFactory().registerSingleton("dedalusMockServer", server);
			context.addApplicationListener((event) -> {
				if (event instanceof ContextClosedEvent) {
					server.close();
				}
			});
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof MockServerCustomizer;
		}

		@Override
		public int hashCode() {
			return MockServerCustomizer.class.hashCode();
		}

	}

}
