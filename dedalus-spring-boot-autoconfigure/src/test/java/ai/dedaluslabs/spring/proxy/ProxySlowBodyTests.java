package ai.dedaluslabs.spring.proxy;

import java.net.Socket;
import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body slower than {@code dedalus.proxy.body-read-timeout} (here 500 ms) is refused with 408 and
 * its connection closed, on both stacks, and nothing goes upstream.
 */
@Timeout(60)
class ProxySlowBodyTests {

	abstract static class SlowBodyIsRefused {

		@Autowired
		DedalusMockServer dedalus;

		@LocalServerPort
		int port;

		@Test
		void aBodyThatStallsIsRefusedWith408AndItsConnectionClosed() throws Exception {
			int before = this.dedalus.requestCount();
			try (Socket caller = SlowBodies.stalled(this.port)) {
				String response = SlowBodies.response(caller);
				assertThat(response).startsWith("HTTP/1.1 408");
				assertThat(response).contains("\"code\":\"request_timeout\"").contains("\"type\":\"invalid_request_error\"");
			}
			assertThat(this.dedalus.requestCount()).as("nothing sent upstream").isEqualTo(before);
		}

	}

	@Nested
	@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "dedalus.proxy.enabled=true", "dedalus.proxy.body-read-timeout=500ms" })
	@AutoConfigureDedalusMock
	class OnSpringMvc extends SlowBodyIsRefused {

	}

	@Nested
	@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive", "dedalus.proxy.enabled=true",
					"dedalus.proxy.body-read-timeout=500ms" })
	@AutoConfigureDedalusMock
	class OnWebFlux extends SlowBodyIsRefused {

	}

}
