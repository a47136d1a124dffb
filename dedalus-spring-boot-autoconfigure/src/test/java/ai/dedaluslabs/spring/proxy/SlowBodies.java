package ai.dedaluslabs.spring.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A caller that declares a JSON body and sends only its start, then waits: the slow-body attack
 * that holds a thread per connection on a server that reads bodies with blocking I/O.
 */
final class SlowBodies {

	private SlowBodies() {
	}

	static Socket stalled(int port) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(30_000);
		OutputStream out = socket.getOutputStream();
		out.write(("POST /dedalus/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	/** Everything the server sends until it closes the connection. */
	static String response(Socket socket) throws IOException {
		return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
