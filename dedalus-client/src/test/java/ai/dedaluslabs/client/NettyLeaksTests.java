package ai.dedaluslabs.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves that {@link NettyLeaks} sees a leak, so the suites that assert it saw none mean it.
 */
class NettyLeaksTests {

	@Test
	void aDroppedBufferIsReported() {
		try (NettyLeaks leaks = new NettyLeaks()) {
			leak();
			await().atMost(java.time.Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(leaks.reported()).anySatisfy((report) -> assertThat(report).contains("LEAK")));
		}
	}

	private static void leak() {
		ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(128);
		buffer.writeInt(42);
	}

}
