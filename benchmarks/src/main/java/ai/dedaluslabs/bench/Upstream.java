package ai.dedaluslabs.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The benchmark's API: answers any {@code POST .../chat/completions} with a stream of
 * {@code tokens} chunks written from pre-built buffers (shared, never copied), so that it is never
 * the bottleneck: the transport contender shows its ceiling.
 */
final class Upstream implements AutoCloseable {

	private static final ByteBuf BLOCK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(StreamBytes.BLOCK));

	private static final ByteBuf END = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(StreamBytes.END_BYTES));

	private final DisposableServer server;

	Upstream(int port, int tokens) {
		if (tokens % StreamBytes.EVENTS_PER_BLOCK != 0) {
			throw new IllegalArgumentException("tokens must be a multiple of " + StreamBytes.EVENTS_PER_BLOCK);
		}
		int blocks = tokens / StreamBytes.EVENTS_PER_BLOCK;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.handle((request, response) -> {
				if (!request.uri().endsWith("/chat/completions")) {
					return response.status(404).send();
				}
				return request.receive().then(response.header("Content-Type", "text/event-stream")
					.send(Flux.range(0, blocks)
						.map((i) -> BLOCK.duplicate())
						.concatWith(Mono.fromSupplier(END::duplicate)))
					.then());
			})
			.bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	/** Run an upstream on its own until killed: {@code Upstream <port> <tokens>}. */
	public static void main(String[] args) throws InterruptedException {
		try (Upstream upstream = new Upstream(Integer.parseInt(args[0]), Integer.parseInt(args[1]))) {
			System.out.println("upstream " + upstream.baseUrl());
			Thread.currentThread().join();
		}
	}

}
