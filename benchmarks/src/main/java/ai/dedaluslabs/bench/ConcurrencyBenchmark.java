package ai.dedaluslabs.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import com.sun.management.GarbageCollectionNotificationInfo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Thousands of slow streams in one JVM: each stream writes a chunk every 50 ms carrying the
 * {@code System.nanoTime()} of its writing, so the reader measures the delay from the upstream
 * writing a chunk to the consumer reading it (one JVM, one clock). Modes: {@code dedalus} (the
 * client's {@code stream()}), {@code webclient} (raw WebClient SSE decoding, the reference), and
 * {@code forwarded} (the client behind a Spring MVC {@code SseEmitter} endpoint, read by as many
 * HTTP clients) and {@code forwarded-webflux} (the same behind a WebFlux endpoint on Netty). Reports peak heap after GC, live threads and p50/p99 delay. Each mode runs in its
 * own JVM with a 256 MiB heap (1 GiB for the forwarding mode, which also runs Tomcat and the HTTP
 * readers), so that young collections happen while streaming and their after-GC sizes give the
 * peak: {@code ConcurrencyBenchmark [streams...]}.
 */
public final class ConcurrencyBenchmark {

	private static final int CHUNKS = 60;

	private static final int SETTLING_CHUNKS = 5;

	private static final Duration INTERVAL = Duration.ofMillis(50);

	private ConcurrencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("run")) {
			run(args[1], Integer.parseInt(args[2]));
			return;
		}
		List<Integer> counts = (args.length > 0) ? Arrays.stream(args).map(Integer::valueOf).toList() : List.of(500, 2000);
		System.out.println("| streams | mode | failed | peak heap after GC | live threads | p50 delay | p99 delay |");
		System.out.println("|---:|---|---:|---:|---:|---:|---:|");
		for (int streams : counts) {
			for (String mode : List.of("webclient", "dedalus", "forwarded", "forwarded-webflux")) {
				System.out.println(child(mode, streams));
			}
		}
	}

	private static String child(String mode, int streams) throws Exception {
		// The forwarding mode also runs Tomcat and as many HTTP readers as streams in the same JVM.
		String heap = mode.startsWith("forwarded") ? "-Xmx1g" : "-Xmx256m";
		Process process = new ProcessBuilder(ThroughputBenchmark.javaBinary(), heap, "-XX:+UseG1GC",
				"-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
				ConcurrencyBenchmark.class.getName(), "run", mode, Integer.toString(streams))
			.redirectErrorStream(true)
			.start();
		String row = null;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith("| ")) {
					row = line;
				}
				else if (output.length() < 20_000) {
					output.append(line).append('\n');
				}
			}
		}
		if (!process.waitFor(5, TimeUnit.MINUTES) || row == null) {
			throw new IllegalStateException(mode + " failed:\n" + output);
		}
		return row;
	}

	private static void run(String mode, int streams) throws Exception {
		long[] delays = new long[streams * CHUNKS];
		AtomicInteger recorded = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicLong peakHeapAfterGc = watchHeapAfterGc();
		DisposableServer upstream = slowUpstream();
		String base = "http://127.0.0.1:" + upstream.port();
		ConfigurableApplicationContext app = null;
		DedalusClient client = null;
		Flux<String> perStream;
		switch (mode) {
			case "dedalus" -> {
				client = DedalusClient.builder().apiKey(Contenders.API_KEY).baseUrl(base).build();
				DedalusClient dedalus = client;
				ChatCompletionRequest request = ChatCompletionRequest.builder()
					.addMessage(ChatMessage.user("slow"))
					.build();
				perStream = Flux.defer(() -> dedalus.chat().completions().stream(request))
					.mapNotNull(ConcurrencyBenchmark::content);
			}
			case "webclient" -> {
				WebClient webClient = WebClient.builder()
					.baseUrl(base)
					.clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
							HttpClient.create(ConnectionProvider.builder("reference").maxConnections(4096)
								.pendingAcquireMaxCount(8192).build())))
					.build();
				perStream = Flux.defer(() -> webClient.post()
					.uri("/v1/chat/completions")
					.bodyValue("{\"stream\":true}")
					.retrieve()
					.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
					})
					.mapNotNull(ServerSentEvent::data)
					.takeWhile((data) -> !data.equals("[DONE]")));
			}
			case "forwarded", "forwarded-webflux" -> {
				boolean reactive = mode.equals("forwarded-webflux");
				app = new SpringApplication(ForwardingApp.class).run("--server.port=0", "--dedalus.api-key=" + Contenders.API_KEY,
						"--dedalus.base-url=" + base, "--server.tomcat.threads.max=50",
						"--server.tomcat.max-connections=10000", "--logging.level.root=WARN",
						"--spring.main.web-application-type=" + (reactive ? "reactive" : "servlet"));
				int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
				HttpClient browsers = HttpClient.create(ConnectionProvider.builder("browsers").maxConnections(4096)
					.pendingAcquireMaxCount(8192).build()).baseUrl("http://127.0.0.1:" + port);
				String path = reactive ? "/events" : "/stream";
				perStream = Flux.defer(() -> browsers.get()
					.uri(path)
					.responseContent()
					.asString(StandardCharsets.UTF_8)
					.flatMapIterable((text) -> List.of(text.split("\n")))
					.filter((line) -> line.contains("\"content\":\"t")));
			}
			default -> throw new IllegalArgumentException(mode);
		}
		// Warm-up: the JIT and the connection pools, so the measurement is of a steady state.
		Flux.range(0, Math.min(streams, 200)).flatMap((i) -> perStream.onErrorResume((error) -> Mono.empty()), 200)
			.then()
			.block(Duration.ofMinutes(1));
		peakHeapAfterGc.set(0);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		threads.resetPeakThreadCount();
		long start = System.nanoTime();
		Flux.range(0, streams)
			.flatMap((i) -> perStream.index().doOnNext((indexed) -> {
				String data = indexed.getT2();
				long written = timestamp(data);
				// The first chunks of every stream wait for its connection; the delay of interest is steady state.
				if (written > 0 && indexed.getT1() >= SETTLING_CHUNKS) {
					int slot = recorded.getAndIncrement();
					if (slot < delays.length) {
						delays[slot] = System.nanoTime() - written;
					}
				}
			}).onErrorResume((error) -> {
				failed.incrementAndGet();
				return Mono.empty();
			}), streams)
			.then()
			.block(Duration.ofMinutes(3));
		long wall = System.nanoTime() - start;
		if (peakHeapAfterGc.get() == 0) {
			// No collection happened while streaming (a small heap usually forces some); measure once now.
			System.gc();
		}
		int count = Math.min(recorded.get(), delays.length);
		long[] sorted = Arrays.copyOf(delays, count);
		Arrays.sort(sorted);
		int liveThreads = threads.getPeakThreadCount();
		System.out.printf(Locale.ROOT, "| %,d | %s | %d | %.0f MiB | %d | %.1f ms | %.1f ms |%n", streams, mode,
				failed.get(), peakHeapAfterGc.get() / 1048576.0, liveThreads,
				percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
		System.err.printf(Locale.ROOT, "%s %d streams: %d of %d chunks in %.1f s%n", mode, streams, count,
				streams * CHUNKS, wall / 1e9);
		if (client != null) {
			client.close();
		}
		if (app != null) {
			app.close();
		}
		upstream.disposeNow();
		System.exit(0);
	}

	private static String content(ChatCompletionChunk chunk) {
		return chunk.choices().isEmpty() ? null : chunk.choices().get(0).delta().content();
	}

	/** The nanoTime in a {@code t<digits>} token, alone or inside a chunk's JSON. */
	private static long timestamp(String data) {
		for (int at = data.indexOf('t'); at >= 0; at = data.indexOf('t', at + 1)) {
			boolean starts = at == 0 || data.charAt(at - 1) == '"';
			if (starts && at + 1 < data.length() && Character.isDigit(data.charAt(at + 1))) {
				long value = 0;
				for (int i = at + 1; i < data.length() && Character.isDigit(data.charAt(i)); i++) {
					value = value * 10 + (data.charAt(i) - '0');
				}
				return value;
			}
		}
		return -1;
	}

	private static double percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return 0;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
	}

	static DisposableServer slowUpstream() {
		return HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> request.receive()
			.then(response.header("Content-Type", "text/event-stream")
				.sendString(Flux.interval(INTERVAL)
					.take(CHUNKS)
					.map((i) -> "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":"
							+ "[{\"index\":0,\"delta\":{\"content\":\"t" + System.nanoTime() + "\"}}]}\n\n")
					.concatWith(Mono.just("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},"
							+ "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")))
				.then()))
			.bindNow();
	}

	private static AtomicLong watchHeapAfterGc() {
		AtomicLong peak = new AtomicLong();
		for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData())
						.getGcInfo()
						.getMemoryUsageAfterGc();
					long used = after.entrySet().stream()
						.filter((pool) -> !pool.getKey().contains("Metaspace") && !pool.getKey().contains("Code")
								&& !pool.getKey().contains("Compressed"))
						.mapToLong((pool) -> pool.getValue().getUsed())
						.sum();
					peak.accumulateAndGet(used, Math::max);
				}
			}, null, null);
		}
		return peak;
	}

	/** The forwarding endpoint, as the sample app's {@code /api/chat/stream}. */
	@SpringBootApplication
	static class ForwardingApp {

		@RestController
		static class Endpoint {

			private final DedalusClient client;

			private final org.springframework.beans.factory.ObjectProvider<ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder> emitters;

			private final ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder events;

			// The servlet forwarder exists only in servlet mode; this one endpoint class serves both modes.
			Endpoint(DedalusClient client,
					org.springframework.beans.factory.ObjectProvider<ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder> emitters,
					ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder events) {
				this.client = client;
				this.emitters = emitters;
				this.events = events;
			}

			@GetMapping("/stream")
			SseEmitter stream() {
				return this.emitters.getObject().toSseEmitter(this.client.chat()
					.completions()
					.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user("slow")).build()));
			}

			@GetMapping("/events")
			org.springframework.http.ResponseEntity<Flux<ServerSentEvent<String>>> events() {
				return this.events.toServerSentEvents(this.client.chat()
					.completions()
					.stream(ChatCompletionRequest.builder().addMessage(ChatMessage.user("slow")).build()));
			}

		}

	}

}
