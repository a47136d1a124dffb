package ai.dedaluslabs.spring.web.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ai.dedaluslabs.spring.web.SseFrame;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import reactor.core.Disposable;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser whose connection is full: the servlet writer stops writing when the container says
 * the connection cannot take more, asks the model for nothing more meanwhile, and carries on from
 * the same frame when the container says it can. Real containers rarely report a full connection
 * on loopback in a test's time (their socket buffers take megabytes), so the container's side is
 * played here by an output stream the test opens and closes.
 */
class SseEmitterWriterBackpressureTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	private final GatedOutput output = new GatedOutput();

	private final TestPublisher<SseFrame> frames = TestPublisher.create();

	@BeforeEach
	void startAsync() {
		this.request.setAsyncSupported(true);
		this.request.startAsync();
	}

	@Test
	void aFullConnectionStopsTheWritesAndTheDemandUntilItDrains() throws IOException {
		SseEmitterWriter.write(this.frames.flux(), this.request, response());
		this.frames.assertMinRequested(16);
		emit(0, 4);
		assertThat(this.output.text()).isEqualTo(events(0, 4));

		this.output.ready = false;
		emit(4, 16);
		assertThat(this.output.text()).as("written while the connection is full").isEqualTo(events(0, 4));
		this.frames.assertMaxRequested(0);
		assertThat(this.output.armed).as("the writer asked isReady() and waits for onWritePossible").isTrue();

		this.output.drained();
		assertThat(this.output.text()).isEqualTo(events(0, 16));
		this.frames.assertMinRequested(12);
		assertThat(this.request.isAsyncStarted()).as("the response stays open for the frames to come").isTrue();

		this.frames.next(new SseFrame.Done(false)).complete();
		assertThat(this.output.text()).isEqualTo(events(0, 16) + "data: [DONE]\n\n");
		assertThat(this.request.isAsyncStarted()).as("the async cycle is completed").isFalse();
		this.frames.assertNotCancelled();
	}

	@Test
	void aWriteErrorReportedByTheContainerCancelsTheUpstream() throws IOException {
		SseEmitterWriter.write(this.frames.flux(), this.request, response());
		emit(0, 2);
		this.output.ready = false;
		emit(2, 3);
		this.output.failed(new IOException("Broken pipe"));
		this.frames.assertCancelled();
		assertThat(this.output.text()).isEqualTo(events(0, 2));
		assertThat(this.request.isAsyncStarted()).as("the async cycle is completed").isFalse();
	}

	@Test
	void aFailedWriteCancelsTheUpstream() throws IOException {
		Disposable writer = SseEmitterWriter.write(this.frames.flux(), this.request, response());
		emit(0, 1);
		this.output.failure = new IOException("Connection reset by peer");
		emit(1, 2);
		this.frames.assertCancelled();
		assertThat(writer.isDisposed()).isTrue();
		assertThat(this.request.isAsyncStarted()).isFalse();
	}

	private void emit(int from, int to) {
		IntStream.range(from, to).forEach((i) -> this.frames.next(SseFrame.Data.of("{\"n\":" + i + "}")));
	}

	private static String events(int from, int to) {
		return IntStream.range(from, to).mapToObj((i) -> "data: {\"n\":" + i + "}\n\n").collect(Collectors.joining());
	}

	private HttpServletResponseWrapper response() {
		return new HttpServletResponseWrapper(new MockHttpServletResponse()) {
			@Override
			public ServletOutputStream getOutputStream() {
				return SseEmitterWriterBackpressureTests.this.output;
			}
		};
	}

	/** The container's side of a connection that the test fills and drains. */
	private static final class GatedOutput extends ServletOutputStream {

		private final ByteArrayOutputStream written = new ByteArrayOutputStream();

		private @Nullable WriteListener listener;

		private boolean ready = true;

		/** isReady() said no, so the container owes an onWritePossible. */
		private boolean armed;

		private @Nullable IOException failure;

		@Override
		public boolean isReady() {
			this.armed |= !this.ready;
			return this.ready;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.listener = listener;
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (!this.ready) {
				throw new IllegalStateException("Written while not ready: the container would refuse this");
			}
			if (this.failure != null) {
				throw this.failure;
			}
			this.written.write(bytes, offset, length);
		}

		/** As a container does: onWritePossible only after isReady() has said no. */
		void drained() throws IOException {
			assertThat(this.armed).as("isReady() said no before the connection drained").isTrue();
			this.ready = true;
			this.armed = false;
			listener().onWritePossible();
		}

		void failed(Throwable error) {
			listener().onError(error);
		}

		private WriteListener listener() {
			assertThat(this.listener).as("the write listener").isNotNull();
			return this.listener;
		}

		String text() {
			return this.written.toString(StandardCharsets.UTF_8);
		}

	}

}
