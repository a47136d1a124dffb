package ai.dedaluslabs.shapes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.StreamScript;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every web shape must do, asked over plain HTTP as a browser or an SDK would.
 */
public final class ShapeChecks {

	/** The request body of a streamed call to the front-end endpoint. */
	public static final String STREAMED_REQUEST = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

	/**
	 * HTTP/1.1, as a browser speaks to a plain-http server: no h2c upgrade attempt in the way of
	 * what the shape is checked for.
	 */
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	/** The longest a whole answer may take, body included, before the check fails and says so. */
	private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);

	private ShapeChecks() {
	}

	/**
	 * Check that the application runs on the Spring Boot version its build names in the system
	 * property {@code expected.boot.version} (set by each shape's build).
	 */
	public static void runsOnTheExpectedBootVersion() {
		assertThat(SpringBootVersion.getVersion()).as("Spring Boot version")
			.isEqualTo(System.getProperty("expected.boot.version"));
	}

	/**
	 * Check that the client names its real version to the API, read from the jar it was loaded
	 * from (so this holds only when the shape runs against the built jar, not an IDE's classes).
	 * @param client the application's client
	 * @param dedalus the scripted API
	 */
	public static void identifiesItselfWithItsVersion(DedalusClient client, DedalusMockServer dedalus) {
		dedalus.enqueue(ai.dedaluslabs.test.MockReply.completion("Hi"));
		client.chat().completions().create(ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hi")).build());
		ai.dedaluslabs.test.RecordedChatRequest request = dedalus.takeRequest(Duration.ofSeconds(10));
		assertThat(request).isNotNull();
		assertThat(request.header("User-Agent")).as("User-Agent")
			.isEqualTo("dedalus-java/" + System.getProperty("expected.dedalus.version"));
	}

	/**
	 * Stream a scripted answer through the injected client, accumulated into a completion.
	 * @param client the application's client
	 * @param dedalus the scripted API
	 */
	public static void streamsThroughTheClient(DedalusClient client, DedalusMockServer dedalus) {
		dedalus.enqueue(StreamScript.create().text("Introibo ad altare Dei").usage(7, 3));
		ChatCompletion completion = ChatCompletionAccumulator.accumulate(client.chat()
			.completions()
			.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hi")).build())).block();
		assertThat(completion).isNotNull();
		assertThat(completion.choices().get(0).message().content()).isEqualTo("Introibo ad altare Dei");
		assertThat(completion.usage()).isNotNull();
	}

	/**
	 * Script an answer, GET it through a forwarding endpoint, and check that it is
	 * OpenAI-compatible SSE that carries the text and ends with {@code [DONE]}.
	 * @param dedalus the scripted API
	 * @param port the application's port
	 * @param path the forwarding endpoint
	 */
	public static void forwardsAsServerSentEvents(DedalusMockServer dedalus, int port, String path) {
		dedalus.enqueue(StreamScript.create().text("Stately plump"));
		String text = " plump";
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, path))
			.header("Accept", "text/event-stream")
			.GET(), null);
		assertThat(response.statusCode()).as("status of GET %s", path).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		assertThat(response.body()).contains("\"content\":\"" + text + "\"").endsWith("data: [DONE]\n\n");
	}

	/**
	 * Script an answer, POST a streamed request for it to the front-end endpoint, and check the
	 * relayed stream.
	 * @param dedalus the scripted API
	 * @param port the application's port
	 * @param authorization an {@code Authorization} header, or {@code null}
	 */
	public static void frontEndEndpointStreams(DedalusMockServer dedalus, int port, @Nullable String authorization) {
		dedalus.enqueue(StreamScript.create().text("Buck Mulligan"));
		String text = " Mulligan";
		HttpResponse<String> response = postCompletions(port, authorization);
		assertThat(response.statusCode()).as("status of the front-end endpoint").isEqualTo(200);
		assertThat(response.body()).contains("\"content\":\"" + text + "\"").endsWith("data: [DONE]\n\n");
	}

	/**
	 * Script an answer that goes on until the caller leaves, read its first words through a
	 * forwarding endpoint or the front-end endpoint, close the connection as a closed browser tab
	 * does, and check that the upstream request is cancelled (its tokens cost money).
	 * @param dedalus the scripted API
	 * @param port the application's port
	 * @param path the endpoint: a forwarding {@code GET} endpoint, or the front-end endpoint's
	 * path, which is sent {@link #STREAMED_REQUEST} by {@code POST}
	 * @throws IOException when the application cannot be reached
	 */
	public static void closedBrowserCancelsTheUpstream(DedalusMockServer dedalus, int port, String path)
			throws IOException {
		dedalus.enqueue(StreamScript.create().text("Stately, plump Buck Mulligan").untilClientCloses());
		int before = dedalus.clientDisconnects();
		boolean post = path.endsWith("/chat/completions");
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout((int) ANSWER_LIMIT.toMillis());
			byte[] body = post ? STREAMED_REQUEST.getBytes(StandardCharsets.UTF_8) : new byte[0];
			String head = (post ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n"
					+ (post ? "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n" : "")
					+ "\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			assertThat(readUntil(socket.getInputStream(), " Mulligan")).as("the answer's first words")
				.contains(" Mulligan");
		}
		assertThat(dedalus.awaitClientDisconnects(before + 1, ANSWER_LIMIT))
			.as("upstream request cancelled within %s s of the browser leaving %s", ANSWER_LIMIT.toSeconds(), path)
			.isTrue();
	}

	private static String readUntil(InputStream in, String marker) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
			int read = in.read(buffer);
			if (read < 0) {
				break;
			}
			received.write(buffer, 0, read);
		}
		return received.toString(StandardCharsets.UTF_8);
	}

	/**
	 * POST a streamed request to the front-end endpoint.
	 * @param port the application's port
	 * @param authorization an {@code Authorization} header, or {@code null}
	 * @return the response
	 */
	public static HttpResponse<String> postCompletions(int port, @Nullable String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, "/dedalus/v1/chat/completions"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(STREAMED_REQUEST));
		return send(request, authorization);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request, @Nullable String authorization) {
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		HttpRequest built = request.timeout(ANSWER_LIMIT).build();
		try {
			return HTTP.sendAsync(built, HttpResponse.BodyHandlers.ofString())
				.get(ANSWER_LIMIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No complete answer to " + built.method() + " " + built.uri().getPath()
					+ " within " + ANSWER_LIMIT.toSeconds() + " s", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("The application did not answer " + built.uri().getPath(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
