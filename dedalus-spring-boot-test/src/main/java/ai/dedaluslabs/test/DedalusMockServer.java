package ai.dedaluslabs.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.json.WireJson;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted Dedalus API for tests, on OkHttp's {@code mockwebserver3}: streams, tool calls,
 * usage, errors and faults, and a record of every request.
 *
 * <pre class="code">
 * try (DedalusMockServer server = DedalusMockServer.start()) {
 *     server.enqueue(StreamScript.create().text("Ineluctable modality of the visible"));
 *     DedalusClient client = DedalusClient.builder().apiKey("test").baseUrl(server.baseUrl()).build();
 *     // ... exercise your code ...
 *     RecordedChatRequest sent = server.takeRequest(Duration.ofSeconds(5));
 *     assertThat(sent.request().messages()).hasSize(2);
 * }
 * </pre>
 *
 * <p>
 * Answers come from a FIFO queue ({@link #enqueue}), unless a reply was set for the request's
 * model ({@link #forModel}), which answers every request for that model. A request with nothing
 * scripted gets a 500 whose message says so. {@code GET /v1/models} lists {@link #models}.
 *
 * @since 0.1.0
 */
public final class DedalusMockServer implements AutoCloseable {

	/** The API key the Spring integration configures; any key is accepted. */
	public static final String TEST_API_KEY = "dedalus-mock-key";

	private final MockWebServer server = new MockWebServer();

	private final ConcurrentLinkedQueue<MockReply> queue = new ConcurrentLinkedQueue<>();

	private final Map<String, MockReply> byModel = new ConcurrentHashMap<>();

	private final BlockingQueue<RecordedChatRequest> requests = new LinkedBlockingQueue<>();

	private final AtomicInteger requestCount = new AtomicInteger();

	private final AtomicInteger clientDisconnects = new AtomicInteger();

	private final CountDownLatch closing = new CountDownLatch(1);

	private volatile List<String> models = List.of("openai/gpt-5-nano");

	private final Object disconnectMonitor = new Object();

	private DedalusMockServer() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return DedalusMockServer.this.dispatch(request);
			}
		});
	}

	/**
	 * Start a server on a free port of the loopback interface.
	 * @return the running server
	 */
	public static DedalusMockServer start() {
		DedalusMockServer mock = new DedalusMockServer();
		try {
			mock.server.start(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("DedalusMockServer could not start", ex);
		}
		return mock;
	}

	/**
	 * The base URL to give the client ({@code dedalus.base-url}).
	 * @return for example {@code http://localhost:53817}
	 */
	public String baseUrl() {
		String url = this.server.url("/").toString();
		return url.substring(0, url.length() - 1);
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getPort();
	}

	/**
	 * The properties that point a Spring Boot application at this server, for
	 * {@code ApplicationContextRunner.withPropertyValues(...)}.
	 * @return {@code dedalus.base-url=...} and {@code dedalus.api-key=...}
	 */
	public String[] propertyValues() {
		return new String[] { "dedalus.base-url=" + baseUrl(), "dedalus.api-key=" + TEST_API_KEY };
	}

	/**
	 * Script the next answer.
	 * @param reply the answer
	 * @return this server
	 */
	public DedalusMockServer enqueue(MockReply reply) {
		this.queue.add(reply);
		return this;
	}

	/**
	 * Answer every request for a model with the same reply, ahead of the queue.
	 * @param model the model id the request names
	 * @param reply the answer
	 * @return this server
	 */
	public DedalusMockServer forModel(String model, MockReply reply) {
		this.byModel.put(model, reply);
		return this;
	}

	/**
	 * The models {@code GET /v1/models} lists.
	 * @param models model ids
	 * @return this server
	 */
	public DedalusMockServer models(String... models) {
		this.models = List.of(models);
		return this;
	}

	/**
	 * The next request received, waiting for it.
	 * @param timeout how long to wait
	 * @return the request, or {@code null} when none arrived in time
	 */
	public @Nullable RecordedChatRequest takeRequest(Duration timeout) {
		try {
			return this.requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * How many requests arrived.
	 * @return the count
	 */
	public int requestCount() {
		return this.requestCount.get();
	}

	/**
	 * How many streams the client closed before they ended (a cancel, a closed browser tab).
	 * @return the count
	 */
	public int clientDisconnects() {
		return this.clientDisconnects.get();
	}

	/**
	 * Wait until the client has closed at least this many streams early.
	 * @param count the number of early closes
	 * @param timeout how long to wait
	 * @return whether it happened in time
	 */
	public boolean awaitClientDisconnects(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.disconnectMonitor) {
			while (this.clientDisconnects.get() < count) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.disconnectMonitor, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Stop the server: stalled streams end, open connections close.
	 */
	@Override
	public void close() {
		this.closing.countDown();
		this.server.close();
	}

	@Override
	public String toString() {
		return "DedalusMockServer[" + baseUrl() + ", " + this.queue.size() + " queued]";
	}

	private MockResponse dispatch(RecordedRequest recorded) {
		this.requestCount.incrementAndGet();
		RecordedChatRequest request = record(recorded);
		this.requests.add(request);
		if ("GET".equals(request.method()) && request.path().startsWith("/v1/models")) {
			return json(200, modelList(), Map.of());
		}
		if (!request.path().startsWith("/v1/chat/completions")) {
			return json(404, ChunkJson.error("DedalusMockServer does not serve " + request.path(),
					"invalid_request_error", null, null), Map.of());
		}
		String model = (request.request() != null && request.request().model() != null)
				? request.request().model().primaryId() : "openai/gpt-5-nano";
		MockReply reply = this.byModel.get(model);
		if (reply == null) {
			reply = this.queue.poll();
		}
		if (reply == null) {
			return json(500, ChunkJson.error("DedalusMockServer has no scripted reply for " + request
					+ "; enqueue one with server.enqueue(...)", "server_error", null, null), Map.of());
		}
		return respond(reply, request, model);
	}

	private MockResponse respond(MockReply reply, RecordedChatRequest request, String model) {
		if (reply instanceof ErrorReply error) {
			return json(error.status(), error.body(), error.headers());
		}
		if (reply instanceof CompletionReply completion) {
			if (request.streaming()) {
				return stream(StreamScript.create().text(extractText(completion.body(model)))
					.headersDelay(completion.headersDelay()), model);
			}
			return delayed(json(200, completion.body(model), Map.of()), completion.headersDelay());
		}
		StreamScript script = (StreamScript) reply;
		if (!request.streaming()) {
			return delayed(json(200, ChunkJson.completion(script.identity(model).model(), script.text(), "stop", 10,
					Tokens.split(script.text()).size()), Map.of()), script.headersDelay());
		}
		return stream(script, model);
	}

	private MockResponse stream(StreamScript script, String model) {
		ScriptedStreamBody body = new ScriptedStreamBody(script.render(model), script, script.identity(model),
				this.closing, this::clientGone);
		MockResponse.Builder response = new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/event-stream")
			.addHeader("x-request-id", "req_mock_" + this.requestCount.get())
			.body(body)
			.removeHeader("Content-Length")
			.addHeader("Transfer-Encoding", "chunked");
		if (script.fault() instanceof StreamFault.DropConnection) {
			response.onResponseEnd(new SocketEffect.CloseSocket());
		}
		if (!script.headersDelay().isZero()) {
			response.headersDelay(script.headersDelay().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
		}
		return response.build();
	}

	private void clientGone() {
		synchronized (this.disconnectMonitor) {
			this.clientDisconnects.incrementAndGet();
			this.disconnectMonitor.notifyAll();
		}
	}

	private static String extractText(String completionJson) {
		return WireJson.defaultMapper().readTree(completionJson).at("/choices/0/message/content").asString("");
	}

	private String modelList() {
		ObjectNode list = WireJson.defaultMapper().createObjectNode();
		list.put("object", "list");
		ArrayNode data = list.putArray("data");
		for (String id : this.models) {
			data.addObject().put("id", id).put("object", "model").put("created", 1700000000L).put("owned_by", "mock");
		}
		return ChunkJson.write(list);
	}

	private static MockResponse delayed(MockResponse response, Duration headersDelay) {
		if (headersDelay.isZero()) {
			return response;
		}
		return response.newBuilder()
			.headersDelay(headersDelay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
			.build();
	}

	private static MockResponse json(int status, String body, Map<String, String> headers) {
		MockResponse.Builder response = new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "application/json")
			.body(body);
		headers.forEach(response::addHeader);
		return response.build();
	}

	private static RecordedChatRequest record(RecordedRequest recorded) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : recorded.getHeaders().names()) {
			headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(recorded.getHeaders().values(name)));
		}
		String body = (recorded.getBody() != null) ? recorded.getBody().string(StandardCharsets.UTF_8) : "";
		ChatCompletionRequest request = null;
		String failure = null;
		if (!body.isEmpty()) {
			try {
				JsonNode json = WireJson.defaultMapper().readTree(body);
				request = ChatCompletionRequest.fromJson(json);
			}
			catch (RuntimeException ex) {
				failure = ex.getMessage();
			}
		}
		String target = recorded.getTarget();
		return new RecordedChatRequest(recorded.getMethod(), target, Map.copyOf(headers), body, request, failure);
	}

}
