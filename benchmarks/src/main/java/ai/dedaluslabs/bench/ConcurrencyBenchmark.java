package ai.dedaluslabs.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Thousands of slow streams at once: each stream writes a chunk every 50 ms carrying the
 * {@code System.nanoTime()} of its writing, and the reader records the delay from the upstream
 * writing a chunk to the reader reading it (the upstream and the readers share one JVM, one
 * clock): {@code ConcurrencyBenchmark [streams...]}.
 *
 * <p>
 * Client modes, each in its own JVM with the upstream (a 256 MiB heap, so that young collections
 * happen while streaming): {@code webclient} (raw WebClient SSE decoding, the reference) and
 * {@code dedalus} (the client's {@code stream()}).
 *
 * <p>
 * Relay modes: the application under test runs alone in its own JVM (1 GiB heap), between an
 * upstream and as many HTTP readers in a second JVM, so that its CPU time, heap and threads are its
 * own: {@code relay} (a minimal hand-written WebFlux relay: WebClient bytes in,
 * {@code text/event-stream} bytes out, the reference), {@code forwarded} (the client and
 * {@code DedalusSseEmitterForwarder.toSseEmitterRaw} on Spring MVC, Tomcat),
 * {@code forwarded-webflux} ({@code DedalusServerSentEventForwarder.toEventStreamRaw} on WebFlux,
 * Netty), {@code proxy} and {@code proxy-webflux} (the OpenAI-compatible endpoint,
 * {@code POST /dedalus/v1/chat/completions}, on each stack). Named only: {@code relay-checked}, the
 * minimal relay plus the one check the forwarders' contract asks of every event (its JSON parsed),
 * the floor for any relay that honours that contract; and {@code forwarded-jetty} and
 * {@code proxy-jetty}, the Spring MVC modes on Jetty, set up as {@code docs/spring-mvc-at-scale.md}
 * says ({@link JettyTuning}).
 *
 * <p>
 * Reported per mode: failed streams, the peak heap after GC and its growth per open stream over
 * the idle heap, the peak of live threads, the CPU time per chunk of the JVM under test and the
 * part of it its JIT compiler threads spent, the p50/p99 delay, and (relay modes) the bytes the JVM
 * under test allocated per chunk, start-up of the measured streams included. The first chunks of
 * every stream (connection set-up) are not counted, and 200 streams warm everything up first
 * ({@code -Dbench.warmup.streams} in each of {@code -Dbench.warmup.rounds} rounds). Streams have 60
 * chunks ({@code -Dbench.chunks}), or lengths spread around it ({@code -Dbench.chunks.spread}).
 * {@code -Dbench.runs=N} runs every mode N times and reports the medians ({@link RunSummary}).
 *
 * <p>
 * For profiling, {@code -Dbench.app.jvm} and {@code -Dbench.load.jvm} replace the options of the
 * JVM under test and of the load JVM ({@code -Xmx1g} each; options separated by spaces, for
 * example a Java agent or {@code -XX:StartFlightRecording}): at the streams' start and end the
 * two JVMs compete for the same cores.
 */
public final class ConcurrencyBenchmark {

	private static final int SETTLING_CHUNKS = 5;

	/**
	 * Chunks per stream ({@code -Dbench.chunks}, 60 by default). Two runs with different counts
	 * split the CPU time into what each stream costs once and what each chunk costs (see RESULTS.md).
	 */
	private static final int CHUNKS = Integer.getInteger("bench.chunks", 60);

	/**
	 * How far each stream's length differs from {@link #CHUNKS} ({@code -Dbench.chunks.spread}, 0
	 * by default): with S, the upstream's streams take turns at every length from CHUNKS − S to
	 * CHUNKS + S, so streams that started together end over 2S intervals, as answers of different
	 * lengths do. With 0 and {@code -Dbench.together}, all streams end within one interval, and
	 * their last chunks (one in 55 of those measured) set the p99 (see RESULTS.md).
	 */
	private static final int SPREAD = spread(Integer.getInteger("bench.chunks.spread", 0));

	/** The fewest chunks a stream has. */
	private static final int SHORTEST = chunks(CHUNKS - SPREAD);

	/** The most chunks a stream has. */
	private static final int LONGEST = CHUNKS + SPREAD;

	/** Streams per warm-up round, at most the streams measured ({@code -Dbench.warmup.streams}, 200 by default). */
	private static final int WARM_UP_STREAMS = Integer.getInteger("bench.warmup.streams", 200);

	/**
	 * Rounds of warm-up streams ({@code -Dbench.warmup.rounds}, 1 by default). One round of 200
	 * leaves the JIT compiling during the measurement, and the code that runs once per stream still
	 * in its profiling tier; the CPU per chunk then counts the compiler threads and the slower code,
	 * more so for an application with more code on the path. Ten rounds of 1,000 (10,000 streams)
	 * measure the steady state of a server that has been up for a while.
	 */
	private static final int WARM_UP_ROUNDS = Integer.getInteger("bench.warmup.rounds", 1);

	private static final boolean TOGETHER = Boolean.getBoolean("bench.together");

	/**
	 * Runs of every mode named ({@code -Dbench.runs}, 1 by default), each mode in fresh JVMs every
	 * time; with more than one, the medians and each mode's median ratio to the first mode follow
	 * the rows (see {@link RunSummary}).
	 */
	private static final int RUNS = runs(Integer.getInteger("bench.runs", 1));

	/**
	 * Whether the upstream sends its response headers as soon as it has the request
	 * ({@code -Dbench.headers.first=true}), as an API does before the model's first token, rather
	 * than with the first chunk (the default, as measured until 2026-12-01). With
	 * {@code -Dbench.together}, the first chunks of all streams come within one interval; sent with
	 * them, the headers bring every stream's response set-up into that interval too.
	 */
	private static final boolean HEADERS_FIRST = Boolean.getBoolean("bench.headers.first");

	private static final Duration INTERVAL = Duration.ofMillis(50);

	static final List<String> CLIENT_MODES = List.of("webclient", "dedalus");

	static final List<String> RELAY_MODES = List.of("relay", "forwarded", "forwarded-webflux", "proxy", "proxy-webflux");

	/**
	 * Measured only when named: the relay that also checks each event as JSON, as the forwarders must;
	 * and the two Spring MVC modes on Jetty instead of Tomcat.
	 */
	static final List<String> EXTRA_MODES = List.of("relay-checked", "forwarded-jetty", "proxy-jetty");

	/**
	 * What each stream asks: "slow", followed with {@code -Dbench.prompt.kib=N} by N KiB of text,
	 * for a request the size of a conversation with history (what a stream holds of its request).
	 */
	private static final String PROMPT = "slow" + " lorem ipsum dolor sit amet,".repeat(
			Integer.getInteger("bench.prompt.kib", 0) * 1024 / 28);

	private static final String PROXY_BODY = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,"
			+ "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";

	private ConcurrencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0) {
			switch (args[0]) {
				case "client" -> {
					client(args[1], Integer.parseInt(args[2]));
					return;
				}
				case "load" -> {
					load(Integer.parseInt(args[1]));
					return;
				}
				case "serve" -> {
					serve(args[1], args[2]);
					return;
				}
				default -> {
				}
			}
		}
		List<String> modes = new ArrayList<>();
		List<Integer> counts = new ArrayList<>();
		for (String arg : args) {
			if (arg.chars().allMatch(Character::isDigit)) {
				counts.add(Integer.valueOf(arg));
			}
			else if (CLIENT_MODES.contains(arg) || RELAY_MODES.contains(arg) || EXTRA_MODES.contains(arg)) {
				modes.add(arg);
			}
			else {
				throw new IllegalArgumentException("Unknown mode '" + arg + "'; the modes are " + CLIENT_MODES + ", "
						+ RELAY_MODES + " and " + EXTRA_MODES);
			}
		}
		if (counts.isEmpty()) {
			counts = List.of(500, 2000);
		}
		if (modes.isEmpty()) {
			modes.addAll(CLIENT_MODES);
			modes.addAll(RELAY_MODES);
		}
		System.out.println("| streams | mode | most open at once | failed | peak heap after GC | live heap per open stream "
				+ "| live threads | CPU µs/chunk | of it, JIT | p50 delay | p99 delay | p99 mid-stream | allocated per chunk "
				+ "| direct memory per open stream |");
		System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (int streams : counts) {
			RunSummary summary = new RunSummary();
			for (int run = 0; run < RUNS; run++) {
				List<RunSummary.Measurement> measured = new ArrayList<>();
				for (String mode : modes) {
					Row row = CLIENT_MODES.contains(mode) ? clientRow(mode, streams) : relayRow(mode, streams);
					System.out.println(row.text());
					measured.add(row.measurement());
				}
				summary.add(measured);
			}
			if (RUNS > 1) {
				System.out.println(summary.tables(streams));
			}
		}
	}

	/** A mode's line of the table, and its figures for {@link RunSummary}. */
	private record Row(String text, RunSummary.Measurement measurement) {
	}

	// The coordinator.

	private static Row clientRow(String mode, int streams) throws Exception {
		Process process = java("-Xmx256m", "client", mode, Integer.toString(streams));
		try (BufferedReader out = reader(process)) {
			String result = expect(out, "RESULT", mode);
			waitFor(process);
			return row(streams, mode, result.split(" "));
		}
	}

	private static Row relayRow(String mode, int streams) throws Exception {
		Process load = java(System.getProperty("bench.load.jvm", "-Xmx1g"), "load", Integer.toString(streams));
		Process app = null;
		try (BufferedReader loadOut = reader(load); PrintWriter loadIn = writer(load)) {
			String upstream = expect(loadOut, "UPSTREAM", "load").split(" ")[1];
			app = java(System.getProperty("bench.app.jvm", "-Xmx1g"), "serve", mode, upstream);
			try (BufferedReader appOut = reader(app); PrintWriter appIn = writer(app)) {
				String port = expect(appOut, "PORT", mode).split(" ")[1];
				loadIn.println("TARGET " + mode + " " + port);
				expect(loadOut, "WARM", "load");
				appIn.println("MARK");
				expect(appOut, "MARKED", mode);
				loadIn.println("GO");
				String[] result = expect(loadOut, "RESULT", "load").split(" ");
				appIn.println("REPORT");
				String[] stats = expect(appOut, "STATS", mode).split(" ");
				// Then every stream open at once and idle, for the live heap per open stream.
				loadIn.println("HOLD");
				long held = Long.parseLong(expect(loadOut, "HELD", "load").split(" ")[1]);
				appIn.println("LIVE");
				String[] growth = expect(appOut, "LIVE", mode).split(" ");
				long live = Long.parseLong(growth[1]);
				long direct = Long.parseLong(growth[2]);
				loadIn.println("RELEASE");
				appIn.println("EXIT");
				// RESULT failed count p50 p99 and STATS heap threads cpuNanos allocated compilerNanos, as one row
				long count = Long.parseLong(result[2]);
				long cpuNanos = Long.parseLong(stats[3]);
				String[] merged = { "RESULT", result[1], result[2], result[3], result[4], stats[1],
						Long.toString(live / Math.max(1, held)), stats[2], Double.toString(cpuNanos / 1e3 / Math.max(1, count)),
						Long.toString(held), result[5], result[6],
						Double.toString(Long.parseLong(stats[5]) / 1e3 / Math.max(1, count)),
						Long.toString(Long.parseLong(stats[4]) / Math.max(1, count)),
						Long.toString(direct / Math.max(1, held)) };
				waitFor(load);
				waitFor(app);
				return row(streams, mode, merged);
			}
		}
		finally {
			load.destroyForcibly();
			if (app != null) {
				app.destroyForcibly();
			}
		}
	}

	/**
	 * {@code RESULT failed count p50Nanos p99Nanos peakHeap livePerStream threads cpuMicrosPerChunk held peakOpen
	 * p99MiddleNanos compilerMicrosPerChunk [allocatedBytesPerChunk directPerStream]}; the last two only for the
	 * relay modes, whose application under test has a JVM of its own.
	 */
	private static Row row(int streams, String mode, String[] result) {
		long held = Long.parseLong(result[9]);
		String heldNote = (held < streams) ? String.format(Locale.ROOT, " (%,d open)", held) : "";
		String allocated = (result.length > 13) ? String.format(Locale.ROOT, "%,d B", Long.parseLong(result[13])) : "";
		String direct = (result.length > 14)
				? String.format(Locale.ROOT, "%.1f KiB", Long.parseLong(result[14]) / 1024.0) : "";
		double liveKiB = Double.parseDouble(result[6]) / 1024;
		double cpuMicros = Double.parseDouble(result[8]);
		double p99Millis = Long.parseLong(result[4]) / 1e6;
		double p99MiddleMillis = Long.parseLong(result[11]) / 1e6;
		String text = String.format(Locale.ROOT,
				"| %,d | %s | %,d | %s | %.0f MiB | %.1f KiB%s | %s | %.2f | %.2f | %.1f ms | %.1f ms | %.1f ms | %s | %s |",
				streams, mode, Long.parseLong(result[10]),
				result[1], Long.parseLong(result[5]) / 1048576.0, liveKiB, heldNote,
				result[7], cpuMicros, Double.parseDouble(result[12]), Long.parseLong(result[3]) / 1e6,
				p99Millis, p99MiddleMillis, allocated, direct);
		return new Row(text, new RunSummary.Measurement(mode, p99Millis, p99MiddleMillis, cpuMicros, liveKiB));
	}

	/** A child JVM; {@code jvm} is its heap, or (for profiling) heap and more options separated by spaces. */
	private static Process java(String jvm, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(ThroughputBenchmark.javaBinary()));
		command.addAll(List.of(jvm.split(" ")));
		// Settings of this run (-Dbench.tomcat.threads=N, default 16) reach the child JVMs.
		System.getProperties().stringPropertyNames().stream().filter((name) -> name.startsWith("bench."))
			.forEach((name) -> command.add("-D" + name + "=" + System.getProperty(name)));
		command.addAll(List.of("-XX:+UseG1GC",
				"-Dio.netty.leakDetection.level=disabled", "-cp", classPath(args.length > 1 && jetty(args[1])),
				ConcurrencyBenchmark.class.getName()));
		command.addAll(List.of(args));
		// -Dbench.stderr=<dir> keeps each child's stderr (logs, stack traces) in <dir>/<role>-<mode>.err.
		String keep = System.getProperty("bench.stderr");
		ProcessBuilder.Redirect stderr = (keep != null)
				? ProcessBuilder.Redirect.to(new java.io.File(keep, args[0] + "-" + args[1] + ".err"))
				: ProcessBuilder.Redirect.DISCARD;
		return new ProcessBuilder(command).redirectError(stderr).start();
	}

	private static boolean jetty(String mode) {
		return mode.endsWith("-jetty");
	}

	/**
	 * This JVM's class path with one servlet container's jars: Spring Boot starts Tomcat when both
	 * are there, so a Jetty mode's application gets Jetty's jars and every other JVM Tomcat's.
	 */
	private static String classPath(boolean jetty) {
		List<String> left = jetty ? List.of("/tomcat-embed-core", "/tomcat-embed-websocket", "/spring-boot-tomcat",
				"/spring-boot-starter-tomcat") : List.of("/org/eclipse/jetty/", "/spring-boot-jetty", "/spring-boot-starter-jetty");
		return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
			.filter((entry) -> left.stream().noneMatch(entry.replace('\\', '/')::contains))
			.collect(Collectors.joining(java.io.File.pathSeparator));
	}

	private static BufferedReader reader(Process process) {
		return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	private static PrintWriter writer(Process process) {
		return new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
	}

	private static String expect(BufferedReader out, String prefix, String who) throws IOException {
		StringBuilder seen = new StringBuilder();
		for (String line = out.readLine(); line != null; line = out.readLine()) {
			if (line.startsWith(prefix + " ") || line.equals(prefix)) {
				return line;
			}
			if (line.startsWith("FAILURE ") || line.startsWith("TIMELINE ")) {
				System.err.println(who + ": " + line);
			}
			if (seen.length() < 20_000) {
				seen.append(line).append('\n');
			}
		}
		throw new IllegalStateException(who + " ended before " + prefix + ":\n" + seen);
	}

	private static void waitFor(Process process) throws InterruptedException {
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
	}

	// A client mode: upstream, client and readers in this JVM.

	private static void client(String mode, int streams) throws Exception {
		Hold hold = new Hold();
		DisposableServer upstream = slowUpstream(hold);
		String base = "http://127.0.0.1:" + upstream.port();
		DedalusClient client = null;
		Flux<String> perStream;
		if (mode.equals("dedalus")) {
			client = DedalusClient.builder().apiKey(Contenders.API_KEY).baseUrl(base).build();
			DedalusClient dedalus = client;
			ChatCompletionRequest request = request();
			perStream = Flux.defer(() -> dedalus.chat().completions().stream(request))
				.mapNotNull(ConcurrencyBenchmark::content);
		}
		else {
			WebClient webClient = WebClient.builder()
				.baseUrl(base)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool("reference"))))
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
		Meter meter = new Meter(mode);
		warmUp(perStream, streams);
		meter.mark();
		hold.startTogether(streams);
		Measured measured = measure(perStream, streams);
		hold.startFreely();
		long peakHeap = meter.peakHeap();
		int peakThreads = meter.peakThreads();
		long cpuNanos = meter.cpuNanos();
		long compilerNanos = meter.compilerNanos();
		Held held = hold.open(perStream, streams);
		long live = meter.liveGrowth();
		held.release();
		System.out.println("RESULT " + measured.failed() + " " + measured.count() + " " + measured.p50() + " "
				+ measured.p99() + " " + peakHeap + " " + (live / Math.max(1, held.count())) + " " + peakThreads + " "
				+ (cpuNanos / 1e3 / Math.max(1, measured.count())) + " " + held.count() + " " + measured.peakOpen() + " "
				+ measured.p99Middle() + " " + (compilerNanos / 1e3 / Math.max(1, measured.count())));
		if (client != null) {
			client.close();
		}
		upstream.disposeNow();
		System.exit(0);
	}

	// A relay mode: the load JVM (upstream and readers) and the serving JVM (the application).

	private static void load(int streams) throws Exception {
		Hold hold = new Hold();
		DisposableServer upstream = slowUpstream(hold);
		System.out.println("UPSTREAM http://127.0.0.1:" + upstream.port());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String[] target = in.readLine().split(" ");
		String mode = target[1];
		HttpClient browsers = HttpClient.create(pool("browsers")).baseUrl("http://127.0.0.1:" + target[2]);
		Flux<String> perStream = Flux.defer(() -> lines(read(browsers, mode)))
			.filter((line) -> line.contains("\"content\":\"t"));
		warmUp(perStream, streams);
		System.out.println("WARM");
		in.readLine();
		hold.startTogether(streams);
		Measured measured = measure(perStream, streams);
		hold.startFreely();
		System.out.println("RESULT " + measured.failed() + " " + measured.count() + " " + measured.p50() + " "
				+ measured.p99() + " " + measured.peakOpen() + " " + measured.p99Middle());
		in.readLine();
		Held held = hold.open(perStream, streams);
		System.out.println("HELD " + held.count());
		in.readLine();
		held.release();
		upstream.disposeNow();
		System.exit(0);
	}

	/** Whole lines from the pieces the network delivers (a line may be cut between two). */
	private static Flux<String> lines(Flux<String> pieces) {
		StringBuilder carry = new StringBuilder();
		return pieces.concatMapIterable((piece) -> {
			carry.append(piece);
			List<String> whole = new ArrayList<>();
			int start = 0;
			for (int end = carry.indexOf("\n"); end >= 0; end = carry.indexOf("\n", start)) {
				whole.add(carry.substring(start, end));
				start = end + 1;
			}
			carry.delete(0, start);
			return whole;
		});
	}

	private static Flux<String> read(HttpClient browsers, String mode) {
		if (mode.startsWith("proxy")) {
			return browsers.headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
				.post()
				.uri("/dedalus/v1/chat/completions")
				.send(ByteBufFlux.fromString(Mono.just(PROXY_BODY)))
				.responseContent()
				.asString(StandardCharsets.UTF_8);
		}
		String path = switch (mode) {
			case "relay" -> "/relay";
			case "relay-checked" -> "/relay-checked";
			case "forwarded-webflux" -> "/events";
			default -> "/stream";
		};
		return browsers.get().uri(path).responseContent().asString(StandardCharsets.UTF_8);
	}

	private static void serve(String mode, String upstream) throws Exception {
		boolean servlet = mode.equals("forwarded") || mode.equals("proxy") || jetty(mode);
		List<String> properties = new ArrayList<>(List.of("--server.port=0", "--dedalus.api-key=" + Contenders.API_KEY,
				"--dedalus.base-url=" + upstream,
				"--server.tomcat.threads.max=" + System.getProperty("bench.tomcat.threads", "16"),
				// Tomcat's listen backlog is 100 by default: 2,000 connections at once overflowed it, the
				// kernel answered with SYN cookies, and some failed validation and were reset (seen as
				// "prematurely closed BEFORE response" at the reader). Netty's backlog is the system's.
				"--server.tomcat.max-connections=10000", "--server.tomcat.accept-count=4096",
				// The same pool on Jetty (its acceptor and selector take two of its threads).
				"--server.jetty.threads.max=" + System.getProperty("bench.tomcat.threads", "16"),
				"--logging.level.root=WARN", "--bench.upstream=" + upstream,
				"--spring.main.web-application-type=" + (servlet ? "servlet" : "reactive")));
		if (mode.startsWith("proxy")) {
			properties.addAll(List.of("--dedalus.proxy.enabled=true", "--dedalus.proxy.max-concurrent-requests=100000"));
		}
		// -Dbench.app.args="--name=value ..." adds settings to the application under test (logging, Tomcat).
		String extra = System.getProperty("bench.app.args", "").trim();
		if (!extra.isEmpty()) {
			properties.addAll(List.of(extra.split(" +")));
		}
		Meter meter = new Meter(mode);
		SpringApplication application = new SpringApplication(ForwardingApp.class);
		if (jetty(mode)) {
			application.addPrimarySources(List.of(JettyTuning.class));
		}
		else if (servlet) {
			application.addPrimarySources(List.of(TomcatTuning.class));
		}
		ConfigurableApplicationContext app = application.run(properties.toArray(String[]::new));
		System.out.println("PORT " + app.getEnvironment().getProperty("local.server.port"));
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		in.readLine();
		meter.mark();
		System.out.println("MARKED");
		for (String command = in.readLine(); command != null && !command.equals("EXIT"); command = in.readLine()) {
			if (command.equals("REPORT")) {
				long allocated = meter.allocated();
				System.out.println("STATS " + meter.peakHeap() + " " + meter.peakThreads() + " " + meter.cpuNanos() + " "
						+ allocated + " " + meter.compilerNanos());
			}
			else if (command.equals("LIVE")) {
				long live = meter.liveGrowth();
				System.out.println("LIVE " + live + " " + meter.directGrowth());
			}
		}
		app.close();
		System.exit(0);
	}

	// Measuring.

	/**
	 * @param p99Middle the p99 of the chunks from the 6th to the 55th of each stream only (to the
	 * shortest stream's fifth-last with {@code -Dbench.chunks.spread}): with every stream started
	 * within 50 ms ({@code -Dbench.together}), the work each stream does once at its start and at its
	 * end comes bunched in the first and last rounds of chunks, and this leaves it out
	 */
	private record Measured(int failed, int count, long p50, long p99, int peakOpen, long p99Middle) {
	}

	private static int chunks(int shortest) {
		if (shortest < 2 * SETTLING_CHUNKS + 1) {
			throw new IllegalArgumentException("-Dbench.chunks=" + CHUNKS + " and -Dbench.chunks.spread=" + SPREAD
					+ " leave streams of " + shortest + " chunks, with none to measure between the " + SETTLING_CHUNKS
					+ " settling chunks at each end; make the shortest at least " + (2 * SETTLING_CHUNKS + 1));
		}
		return shortest;
	}

	private static int runs(int runs) {
		if (runs < 1) {
			throw new IllegalArgumentException("-Dbench.runs=" + runs + " runs nothing; use 1 or more");
		}
		return runs;
	}

	private static int spread(int spread) {
		if (spread < 0) {
			throw new IllegalArgumentException("-Dbench.chunks.spread=" + spread + " is negative; use 0 for streams of "
					+ "one length");
		}
		return spread;
	}

	private static void warmUp(Flux<String> perStream, int streams) {
		// The JIT and the connection pools, so the measurement is of a steady state.
		for (int round = 0; round < WARM_UP_ROUNDS; round++) {
			Flux.range(0, Math.min(streams, WARM_UP_STREAMS))
				.flatMap((i) -> perStream.onErrorResume((error) -> Mono.empty()), WARM_UP_STREAMS)
				.then()
				.block(Duration.ofMinutes(1));
		}
	}

	/**
	 * Ask for all the streams at once and record the delays. Connecting them all takes longer than
	 * a stream lasts here, so the first have ended before the last start: the live heap per open
	 * stream is measured separately, with {@link Hold}.
	 */
	private static Measured measure(Flux<String> perStream, int streams) {
		long start = System.nanoTime();
		long[] delays = new long[streams * LONGEST];
		long[] readAt = new long[streams * LONGEST];
		long[] middle = new long[streams * LONGEST];
		AtomicInteger recordedMiddle = new AtomicInteger();
		AtomicInteger open = new AtomicInteger();
		AtomicInteger peakOpen = new AtomicInteger();
		AtomicInteger recorded = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		Flux.range(0, streams)
			.flatMap((i) -> Flux.defer(() -> {
				// Open from its first chunk to its end: a stream still connecting does not count.
				AtomicBoolean streaming = new AtomicBoolean();
				return perStream.doOnNext((first) -> {
					if (streaming.compareAndSet(false, true)) {
						peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
					}
				}).doFinally((signal) -> {
					if (streaming.get()) {
						open.decrementAndGet();
					}
				});
			})
				.index()
				.doOnNext((indexed) -> {
				long written = timestamp(indexed.getT2());
				// The first chunks of every stream wait for its connection; the delay of interest is steady state.
				if (written > 0 && indexed.getT1() >= SETTLING_CHUNKS) {
					int slot = recorded.getAndIncrement();
					if (slot < delays.length) {
						long now = System.nanoTime();
						delays[slot] = now - written;
						readAt[slot] = now - start;
						if (indexed.getT1() < SHORTEST - SETTLING_CHUNKS) {
							int inMiddle = recordedMiddle.getAndIncrement();
							if (inMiddle < middle.length) {
								middle[inMiddle] = now - written;
							}
						}
					}
				}
			}).onErrorResume((error) -> {
				if (failed.incrementAndGet() <= 5) {
					// Why a stream failed, for the coordinator to show (it echoes FAILURE lines to stderr).
					System.out.println("FAILURE " + error);
				}
				return Mono.empty();
			}), streams)
			.then()
			.block(Duration.ofMinutes(3));
		int count = Math.min(recorded.get(), delays.length);
		if (Boolean.getBoolean("bench.timeline")) {
			timeline(delays, readAt, count);
		}
		long[] sorted = Arrays.copyOf(delays, count);
		Arrays.sort(sorted);
		long[] sortedMiddle = Arrays.copyOf(middle, Math.min(recordedMiddle.get(), middle.length));
		Arrays.sort(sortedMiddle);
		return new Measured(failed.get(), count, percentile(sorted, 0.50), percentile(sorted, 0.99), peakOpen.get(),
				percentile(sortedMiddle, 0.99));
	}

	/** Holds each stream until all of a phase's streams have been asked for. */
	private static final class StartLine {

		private final int expected;

		private final AtomicInteger arrived = new AtomicInteger();

		private final Sinks.Empty<Void> gate = Sinks.empty();

		StartLine(int expected) {
			this.expected = expected;
		}

		Mono<Void> arrive() {
			if (this.arrived.incrementAndGet() >= this.expected) {
				this.gate.tryEmitEmpty();
			}
			long offset = java.util.concurrent.ThreadLocalRandom.current().nextLong(INTERVAL.toNanos());
			// A stream that never arrives (it failed) must not hold the others for ever.
			return this.gate.asMono()
				.timeout(Duration.ofSeconds(20), Mono.empty())
				.then(Mono.delay(Duration.ofNanos(offset)))
				.then();
		}

	}

	/** The streams held open by {@link Hold#open}: how many reached the hold, and their release. */
	private record Held(int count, Runnable releaser) {

		void release() {
			this.releaser.run();
		}

	}

	/**
	 * The live heap per open stream needs every stream open at one moment, which the staggered
	 * measurement never has. Armed, the upstream pauses each new stream after its settling chunks
	 * until released: all streams open at once, mid-stream (decoders and buffers made), idle.
	 */
	private static final class Hold {

		private volatile Sinks.@org.jspecify.annotations.Nullable Empty<Void> gate;

		private volatile @org.jspecify.annotations.Nullable StartLine start;

		private final AtomicInteger served = new AtomicInteger();

		/** The chunk ticks of a new stream: all of them, or with a pause while the hold is armed. */
		Flux<Long> ticks() {
			StartLine line = this.start;
			Sinks.Empty<Void> paused = this.gate;
			Flux<Long> ticks;
			if (paused == null) {
				ticks = Flux.interval(INTERVAL).take(length());
			}
			else {
				int before = SETTLING_CHUNKS + 1;
				ticks = Flux.interval(INTERVAL)
					.take(before)
					.concatWith(paused.asMono().thenMany(Flux.interval(INTERVAL).take(CHUNKS - before)));
			}
			return (line != null) ? line.arrive().thenMany(ticks) : ticks;
		}

		/** The next stream's length: every length of the spread in turn, so each mode gets the same mix. */
		private int length() {
			return (SPREAD == 0) ? CHUNKS : SHORTEST + this.served.getAndIncrement() % (2 * SPREAD + 1);
		}

		/**
		 * With {@code -Dbench.together=true}, the measured streams start together: each waits until
		 * all have been asked for, then starts at a random point of one chunk interval. Every mode
		 * then streams all N at once, where otherwise each mode's connection set-up speed decides
		 * how many overlap (see RESULTS.md).
		 */
		void startTogether(int streams) {
			this.start = TOGETHER ? new StartLine(streams) : null;
		}

		void startFreely() {
			this.start = null;
		}

		/** Open {@code streams} streams and return once each has reached the pause (or failed). */
		Held open(Flux<String> perStream, int streams) throws InterruptedException {
			Sinks.Empty<Void> paused = Sinks.empty();
			this.gate = paused;
			CountDownLatch reached = new CountDownLatch(streams);
			AtomicInteger held = new AtomicInteger();
			CountDownLatch ended = new CountDownLatch(1);
			Flux.range(0, streams).flatMap((i) -> Flux.defer(() -> {
				AtomicBoolean counted = new AtomicBoolean();
				return perStream.index().doOnNext((indexed) -> {
					if (indexed.getT1() == SETTLING_CHUNKS && counted.compareAndSet(false, true)) {
						held.incrementAndGet();
						reached.countDown();
					}
				}).doFinally((signal) -> {
					if (counted.compareAndSet(false, true)) {
						reached.countDown();
					}
				}).onErrorResume((error) -> Mono.empty());
			}), streams).doFinally((signal) -> ended.countDown()).subscribe();
			if (!reached.await(3, TimeUnit.MINUTES)) {
				throw new IllegalStateException("streams did not reach the hold: " + reached.getCount() + " left");
			}
			return new Held(held.get(), () -> {
				this.gate = null;
				paused.tryEmitEmpty();
				try {
					ended.await(3, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

	}

	/**
	 * With {@code -Dbench.timeline=true}: chunks read and their delays per half second of the
	 * measurement, as {@code TIMELINE} lines (the coordinator shows them on stderr), to tell a
	 * steady delay from a backlog that builds and drains.
	 */
	private static void timeline(long[] delays, long[] readAt, int count) {
		java.util.TreeMap<Long, List<Long>> halfSeconds = new java.util.TreeMap<>();
		for (int i = 0; i < count; i++) {
			halfSeconds.computeIfAbsent(readAt[i] / 500_000_000L, (key) -> new ArrayList<>()).add(delays[i]);
		}
		halfSeconds.forEach((half, list) -> {
			list.sort(null);
			System.out.printf(Locale.ROOT, "TIMELINE %5.1f s %,7d chunks p50 %,6d ms p99 %,6d ms%n", half / 2.0,
					list.size(), list.get(list.size() / 2) / 1_000_000, list.get((int) (list.size() * 0.99)) / 1_000_000);
		});
	}

	/**
	 * The JVM's own numbers from a mark on: the largest heap after any collection, its growth over
	 * the heap after a full collection at the mark, the peak of live threads, and process CPU time.
	 */
	private static final class Meter {

		private final AtomicLong peakHeapAfterGc = watchHeapAfterGc();

		private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();

		private final String mode;

		private long idleLive;

		private long idleDirect;

		private long cpuAtMark;

		private long compilerAtMark;

		private long[] allocationAtMark = Allocation.mark();

		Meter(String mode) {
			this.mode = mode;
		}

		void mark() {
			System.gc();
			this.idleLive = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			this.idleDirect = directInUse();
			this.peakHeapAfterGc.set(0);
			this.threads.resetPeakThreadCount();
			this.cpuAtMark = Allocation.processCpuNanos();
			this.compilerAtMark = Allocation.compilerCpuNanos();
			this.allocationAtMark = Allocation.mark();
		}

		long peakHeap() {
			if (this.peakHeapAfterGc.get() == 0) {
				System.gc();
			}
			return this.peakHeapAfterGc.get();
		}

		/**
		 * The direct (off-heap) buffer memory in use now over that at the mark, after
		 * {@link #liveGrowth()}'s collection: what the heap figures miss, such as a servlet container's
		 * direct output buffer held per open response. Netty's pooled arenas grow in large chunks
		 * shared by every connection, so the WebFlux modes show 0 to a few KiB per stream.
		 */
		long directGrowth() {
			return Math.max(0, directInUse() - this.idleDirect);
		}

		private static long directInUse() {
			return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
				.stream()
				.filter((pool) -> pool.getName().equals("direct"))
				.mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
				.sum();
		}

		/** The live heap now over the live heap at the mark: a full collection, then the heap in use. */
		long liveGrowth() {
			System.gc();
			histogram();
			return Math.max(0, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - this.idleLive);
		}

		/**
		 * With {@code -Dbench.histo=<dir>}, the live objects by class at the moment every stream is
		 * open, in {@code <dir>/histo-<mode>.txt}: what an open stream holds, class by class. With
		 * {@code -Dbench.heapdump=true} also the heap, in {@code <dir>/heap-<mode>.hprof}.
		 */
		private void histogram() {
			String dir = System.getProperty("bench.histo");
			if (dir == null) {
				return;
			}
			try {
				Object histogram = ManagementFactory.getPlatformMBeanServer()
					.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
							"gcClassHistogram", new Object[] { new String[0] },
							new String[] { String[].class.getName() });
				// Made here: a missing directory failed this call and left the harness waiting for the answer.
				java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
				java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "histo-" + this.mode + ".txt"),
						histogram.toString());
				// -Dbench.heapdump=true adds the live heap itself, to find what holds what.
				if (Boolean.getBoolean("bench.heapdump")) {
					java.nio.file.Path dump = java.nio.file.Path.of(dir, "heap-" + this.mode + ".hprof");
					java.nio.file.Files.deleteIfExists(dump);
					ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
						.dumpHeap(dump.toString(), true);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("class histogram: " + ex, ex);
			}
		}

		int peakThreads() {
			return this.threads.getPeakThreadCount();
		}

		long cpuNanos() {
			return Allocation.processCpuNanos() - this.cpuAtMark;
		}

		/**
		 * The part of {@link #cpuNanos()} the JIT compiler threads spent since the mark: compiling,
		 * not serving. A compiler thread the JVM stopped meanwhile takes its time with it, so this is
		 * at most what they spent.
		 */
		long compilerNanos() {
			return Math.max(0, Allocation.compilerCpuNanos() - this.compilerAtMark);
		}

		/** Bytes the whole JVM allocated since the mark (garbage collected plus heap growth). */
		long allocated() {
			return Allocation.since(this.allocationAtMark);
		}

	}

	private static ConnectionProvider pool(String name) {
		return ConnectionProvider.builder(name).maxConnections(4096).pendingAcquireMaxCount(8192).build();
	}

	static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user(PROMPT)).build();
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

	private static long percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return 0;
		}
		return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
	}

	static DisposableServer slowUpstream() {
		return slowUpstream(new Hold());
	}

	private static DisposableServer slowUpstream(Hold hold) {
		return HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			response.header("Content-Type", "text/event-stream");
			Mono<Void> headers = HEADERS_FIRST ? response.sendHeaders().then() : Mono.empty();
			return request.receive()
				.then(headers)
				.then(response.sendString(hold.ticks()
					.map((i) -> "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":"
							+ "[{\"index\":0,\"delta\":{\"content\":\"t" + System.nanoTime() + "\"}}]}\n\n")
					.concatWith(Mono.just("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},"
							+ "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")))
					.then());
		}).bindNow();
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
					long used = after.entrySet()
						.stream()
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

	/**
	 * The application under test: the forwarding endpoints as the sample app writes them (the
	 * byte-faithful raw path), and the minimal relay they are measured against.
	 */
	@SpringBootApplication
	static class ForwardingApp {

		@RestController
		static class Endpoint {

			private final DedalusClient client;

			private final ObjectProvider<DedalusSseEmitterForwarder> emitters;

			private final DedalusServerSentEventForwarder events;

			private final WebClient upstream;

			// The servlet forwarder exists only in servlet mode; this one endpoint class serves both modes.
			Endpoint(DedalusClient client, ObjectProvider<DedalusSseEmitterForwarder> emitters,
					DedalusServerSentEventForwarder events,
					org.springframework.core.env.Environment environment) {
				this.client = client;
				this.emitters = emitters;
				this.events = events;
				this.upstream = WebClient.builder()
					.baseUrl(environment.getProperty("bench.upstream", "http://127.0.0.1"))
					.clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool("relay"))))
					.build();
			}

			@GetMapping("/stream")
			SseEmitter stream() {
				return this.emitters.getObject().toSseEmitterRaw(this.client.chat().completions().streamRaw(request()));
			}

			@GetMapping("/events")
			ResponseEntity<Flux<DataBuffer>> events() {
				return this.events.toEventStreamRaw(this.client.chat().completions().streamRaw(request()));
			}

			/** The reference: bytes in, bytes out, nothing looked at. */
			@GetMapping("/relay")
			ResponseEntity<Flux<DataBuffer>> relay() {
				return eventStream(upstreamBytes());
			}

			private Flux<DataBuffer> upstreamBytes() {
				return this.upstream.post()
					.uri("/v1/chat/completions")
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(PROXY_BODY)
					.retrieve()
					.bodyToFlux(DataBuffer.class);
			}

			private static ResponseEntity<Flux<DataBuffer>> eventStream(Flux<DataBuffer> body) {
				return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(body);
			}

			/**
			 * The reference with the one check the forwarders' contract asks of every event, which the
			 * plain relay skips: bytes in, each {@code data:} line parsed as JSON (Jackson's streaming
			 * parser, every token read, nothing bound), the same bytes out. Lenient where a real relay
			 * cannot be: it takes each network buffer to hold whole events, as this upstream writes them.
			 */
			@GetMapping("/relay-checked")
			ResponseEntity<Flux<DataBuffer>> relayChecked() {
				return eventStream(upstreamBytes().map(CheckedEvents::check));
			}

		}

	}

	/** Checks the JSON of the events in a buffer, for {@code relay-checked}. */
	static final class CheckedEvents {

		private static final tools.jackson.core.json.JsonFactory JSON = new tools.jackson.core.json.JsonFactory();

		private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

		private CheckedEvents() {
		}

		static DataBuffer check(DataBuffer buffer) {
			int length = buffer.readableByteCount();
			byte[] bytes = SCRATCH.get();
			if (bytes.length < length) {
				bytes = new byte[length];
				SCRATCH.set(bytes);
			}
			int at = buffer.readPosition();
			buffer.toByteBuffer(at, java.nio.ByteBuffer.wrap(bytes, 0, length), 0, length);
			int line = 0;
			for (int i = 0; i < length; i++) {
				if (bytes[i] == '\n') {
					checkLine(bytes, line, i);
					line = i + 1;
				}
			}
			return buffer;
		}

		private static void checkLine(byte[] bytes, int start, int end) {
			int data = start + 6;
			if (end - start < 6 || bytes[start] != 'd' || bytes[start + 5] != ' ' || bytes[data] == '[') {
				return;
			}
			try (tools.jackson.core.JsonParser parser = JSON.createParser(tools.jackson.core.ObjectReadContext.empty(),
					bytes, data, end - data)) {
				while (parser.nextToken() != null) {
					// every token read: the check is that the whole event parses
				}
			}
		}

	}

}
