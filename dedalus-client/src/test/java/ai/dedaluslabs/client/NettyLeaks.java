package ai.dedaluslabs.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Collects Netty's buffer-leak reports. The surefire configuration runs every test JVM with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked; Netty reports a
 * leak on the JDK logger {@code io.netty.util.ResourceLeakDetector} once the leaked buffer has
 * been garbage collected and another buffer is allocated, which {@link #reported()} provokes.
 */
final class NettyLeaks implements AutoCloseable {

	private final Logger logger = Logger.getLogger("io.netty.util.ResourceLeakDetector");

	private final List<String> reports = Collections.synchronizedList(new ArrayList<>());

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
				NettyLeaks.this.reports.add(String.valueOf(record.getMessage()));
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	NettyLeaks() {
		this.logger.addHandler(this.handler);
	}

	/** Collect garbage and allocate, so leaks of buffers already dropped get reported. */
	List<String> reported() {
		for (int round = 0; round < 5; round++) {
			System.gc();
			for (int i = 0; i < 200; i++) {
				ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(64);
				buffer.release();
			}
		}
		return List.copyOf(this.reports);
	}

	@Override
	public void close() {
		this.logger.removeHandler(this.handler);
	}

}
