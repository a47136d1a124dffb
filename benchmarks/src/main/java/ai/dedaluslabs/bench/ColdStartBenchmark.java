package ai.dedaluslabs.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Hundreds of browsers the moment a freshly started application is ready, with no warm-up: the
 * forwarding endpoint on Spring MVC and on WebFlux, each in its own JVM. Reports the time to each
 * stream's first byte (p50, p99, max), the peak of live threads, and the threads by name, so that a
 * thread pool that grows without bound shows: {@code ColdStartBenchmark [streams]}.
 */
public final class ColdStartBenchmark {

	private ColdStartBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("run")) {
			run(args[1], Integer.parseInt(args[2]));
			return;
		}
		int streams = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		System.out.println("| streams | stack, round | failed | first byte p50 | p99 | max | peak live threads | threads by name |");
		System.out.println("|---:|---|---:|---:|---:|---:|---:|---|");
		for (String mode : new String[] { "servlet", "reactive" }) {
			Process process = new ProcessBuilder(ThroughputBenchmark.javaBinary(), "-Xmx1g", "-XX:+UseG1GC",
					"-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
					ColdStartBenchmark.class.getName(), "run", mode, Integer.toString(streams))
				.redirectErrorStream(true)
				.start();
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				reader.lines().filter((line) -> line.startsWith("| ")).forEach(System.out::println);
			}
			process.waitFor(5, TimeUnit.MINUTES);
		}
	}

	private static void run(String stack, int streams) throws Exception {
		DisposableServer upstream = ConcurrencyBenchmark.slowUpstream();
		ConfigurableApplicationContext app = new SpringApplication(ConcurrencyBenchmark.ForwardingApp.class).run(
				"--server.port=0", "--dedalus.api-key=" + Contenders.API_KEY, "--dedalus.base-url=http://127.0.0.1:" + upstream.port(),
				"--server.tomcat.max-connections=10000", "--logging.level.root=WARN",
				"--spring.main.web-application-type=" + stack);
		int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
		HttpClient browsers = HttpClient
			.create(ConnectionProvider.builder("browsers").maxConnections(4096).pendingAcquireMaxCount(8192).build())
			.baseUrl("http://127.0.0.1:" + port);
		String path = stack.equals("reactive") ? "/events" : "/stream";
		// The readers share this JVM: warm them against the upstream itself, so that the cold round
		// measures the application's start, not the benchmark's own HTTP client.
		HttpClient direct = browsers.baseUrl("http://127.0.0.1:" + upstream.port());
		Flux.range(0, streams)
			.flatMap((i) -> direct.post().uri("/v1/chat/completions").responseContent().then(), streams)
			.then()
			.block(Duration.ofMinutes(1));
		for (String round : new String[] { "cold", "warm" }) {
			round(browsers, path, streams, stack + ", " + round);
		}
		app.close();
		upstream.disposeNow();
		System.exit(0);
	}

	private static void round(HttpClient browsers, String path, int streams, String label) {
		long[] firstByte = new long[streams];
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		Flux.range(0, streams)
			.flatMap((i) -> browsers.get()
				.uri(path)
				.responseContent()
				.index()
				.doOnNext((indexed) -> {
					if (indexed.getT1() == 0) {
						firstByte[i] = System.nanoTime() - start;
					}
				})
				.then()
				.onErrorResume((error) -> {
					failed.incrementAndGet();
					return Mono.empty();
				}), streams)
			.then()
			.block(Duration.ofMinutes(3));
		int peak = ManagementFactory.getThreadMXBean().getPeakThreadCount();
		Map<String, Integer> byName = new TreeMap<>();
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			byName.merge(info.getThreadName().replaceAll("-?\\d+$", "-N"), 1, Integer::sum);
		}
		long[] sorted = Arrays.stream(firstByte).filter((t) -> t > 0).sorted().toArray();
		System.out.printf(Locale.ROOT, "| %d | %s | %d | %.0f ms | %.0f ms | %.0f ms | %d | %s |%n", streams, label,
				failed.get(), at(sorted, 0.5) / 1e6, at(sorted, 0.99) / 1e6, at(sorted, 1.0) / 1e6, peak, byName);
	}

	private static double at(long[] sorted, double quantile) {
		return (sorted.length == 0) ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
	}

}
