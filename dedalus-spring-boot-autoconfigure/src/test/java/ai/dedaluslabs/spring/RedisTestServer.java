package ai.dedaluslabs.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis server the tests that need one run against: on the loopback port in
 * {@code DEDALUS_TEST_REDIS_PORT} ({@code .ci/run} starts Debian's {@code redis-server} there),
 * else on 6379 if one answers. Without one the tests are skipped with a message saying how to run
 * them; under {@code CI=true} they fail instead, so CI never passes by skipping them.
 */
public final class RedisTestServer {

	private RedisTestServer() {
	}

	/**
	 * The port of a Redis server that answers {@code PING}; skips (or, in CI, fails) the calling
	 * test when there is none.
	 * @return the port on 127.0.0.1
	 */
	public static int port() {
		String configured = System.getenv("DEDALUS_TEST_REDIS_PORT");
		int port = (configured != null && !configured.isBlank()) ? Integer.parseInt(configured.trim()) : 6379;
		if (answersPing(port)) {
			return port;
		}
		String message = "No Redis server answers on 127.0.0.1:" + port + ". Start one (redis-server --port " + port
				+ " --save '' --appendonly no --daemonize yes) and set DEDALUS_TEST_REDIS_PORT to run these tests.";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true but " + message + " .ci/run must install and start redis-server.");
		}
		Assumptions.abort(message);
		throw new AssertionError("unreachable");
	}

	/**
	 * A key prefix of its own for one test, so that runs and tests never see each other's keys.
	 * @return the prefix
	 */
	public static String freshPrefix() {
		return "dedalus-test:" + UUID.randomUUID();
	}

	private static boolean answersPing(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[7];
			int read = in.readNBytes(answer, 0, 7);
			return new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
