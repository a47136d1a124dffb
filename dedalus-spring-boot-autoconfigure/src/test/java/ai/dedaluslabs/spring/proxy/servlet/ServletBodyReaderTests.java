package ai.dedaluslabs.spring.proxy.servlet;

import java.io.ByteArrayInputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The body reader hands the body over and keeps nothing of it, while the container still holds
 * the reader (Tomcat keeps a request's read listener until the request ends, which for a streamed
 * answer is the whole stream).
 */
class ServletBodyReaderTests {

	private static final byte[] BODY = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

	/** All bytes available at once, then the end, as a container signals them. */
	private static final class Input extends ServletInputStream {

		private final ByteArrayInputStream bytes = new ByteArrayInputStream(BODY);

		private ReadListener listener;

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return !isFinished();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.listener = listener;
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

	}

	@Test
	void theBodyIsHandedOverAndNotKept() throws Exception {
		Input input = new Input();
		MockHttpServletRequest request = new MockHttpServletRequest() {
			@Override
			public ServletInputStream getInputStream() {
				return input;
			}
		};
		request.setContentType("application/json");
		ServletBodyReader reader = new ServletBodyReader(1024);
		Mono<byte[]> body = reader.body();
		AtomicReference<WeakReference<byte[]>> received = new AtomicReference<>();
		body.subscribe((bytes) -> {
			assertThat(bytes).isEqualTo(BODY);
			received.set(new WeakReference<>(bytes));
		});
		reader.start(request);
		assertThat(input.listener).isSameAs(reader);
		input.listener.onDataAvailable();
		input.listener.onAllDataRead();
		assertThat(received.get()).as("the body was handed over").isNotNull();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			System.gc();
			return received.get().get() == null;
		});
		assertThat(reader).as("the container still holds the reader").isNotNull();
		assertThat(body).isNotNull();
	}

}
