package ai.dedaluslabs.test;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the JUnit extension and the Spring test integration.
 */
class MockServerIntegrationTests {

	@Nested
	@ExtendWith(DedalusMockServerExtension.class)
	class Extension {

		@Test
		void injectsARunningServer(DedalusMockServer server) {
			assertThat(server.port()).isPositive();
			assertThat(server.propertyValues()).containsExactly("dedalus.base-url=" + server.baseUrl(),
					"dedalus.api-key=" + DedalusMockServer.TEST_API_KEY);
		}

		@Test
		void sharesOneServerPerClass(DedalusMockServer first, DedalusMockServer second) {
			assertThat(first).isSameAs(second);
		}

	}

	@Nested
	@SpringJUnitConfig(Empty.class)
	@AutoConfigureDedalusMock
	class SpringContext {

		@Autowired
		DedalusMockServer server;

		@Value("${dedalus.base-url}")
		String baseUrl;

		@Value("${dedalus.api-key}")
		String apiKey;

		@Test
		void pointsTheApplicationAtTheServer() {
			assertThat(this.baseUrl).isEqualTo(this.server.baseUrl());
			assertThat(this.apiKey).isEqualTo(DedalusMockServer.TEST_API_KEY);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
