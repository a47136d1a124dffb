package ai.dedaluslabs.client.internal;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gathers a body into bytes with a size limit, releasing every buffer.
 */
final class Buffers {

	private Buffers() {
	}

	/**
	 * Join a body.
	 * @param body the body's buffers
	 * @param maxBytes the most bytes accepted; more fails with
	 * {@link org.springframework.core.io.buffer.DataBufferLimitException}
	 * @return the bytes, empty for an empty body
	 */
	static Mono<byte[]> join(Flux<DataBuffer> body, int maxBytes) {
		return DataBufferUtils.join(body, maxBytes).map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty(new byte[0]);
	}

}
