package ai.dedaluslabs.spring.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.spring.web.RawHttpAccess;
import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Spring MVC the endpoint writes a stream into the request's first async cycle: once the
 * upstream answers, its chunks reach the caller without waiting for a request thread. Here Tomcat
 * has one thread, and another request holds it from before the upstream answers until after the
 * first chunk has been read; answered through a second async dispatch (a {@code DeferredResult}
 * set to an {@code SseEmitter}), the stream would wait for that thread.
 */
@Timeout(60)
@SpringBootTest(classes = { ProxyApplications.App.class, ProxyMvcStreamDispatchTests.Holder.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "server.tomcat.threads.max=1",
				"server.tomcat.threads.min-spare=1" })
@AutoConfigureDedalusMock
class ProxyMvcStreamDispatchTests {

	static final CountDownLatch HELD = new CountDownLatch(1);

	static final CountDownLatch RELEASE = new CountDownLatch(1);

	@Autowired
	DedalusMockServer dedalus;

	@LocalServerPort
	int port;

	@Test
	void aStreamReachesTheCallerWhileEveryRequestThreadIsBusy() throws Exception {
		this.dedalus
			.enqueue(StreamScript.create().text("Through").headersDelay(Duration.ofSeconds(2)).usage(3, 1));
		int before = this.dedalus.requestCount();
		CompletableFuture<HttpResponse<String>> holding = null;
		try (RawHttpAccess caller = new RawHttpAccess(this.port, ProxyEndpointTests.chat("openai/gpt-5-nano", true, ""))) {
			// The request is upstream (its body read, its handler returned): no thread is needed until it answers.
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.dedalus.requestCount() > before);
			holding = HttpClient.newHttpClient()
				.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/hold"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(HELD.await(10, TimeUnit.SECONDS)).as("the only request thread is held").isTrue();
			String received = caller.readUntil("\"content\":\"Through\"");
			assertThat(received).contains("text/event-stream").contains("\"content\":\"Through\"");
			assertThat(RELEASE.getCount()).as("read while the thread was still held").isEqualTo(1);
		}
		finally {
			RELEASE.countDown();
		}
		assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
	}

	/** Holds the request thread that serves it until the test releases it. */
	@RestController
	static class Holder {

		@PostMapping("/hold")
		String hold() throws InterruptedException {
			HELD.countDown();
			RELEASE.await(30, TimeUnit.SECONDS);
			return "released";
		}

	}

}
