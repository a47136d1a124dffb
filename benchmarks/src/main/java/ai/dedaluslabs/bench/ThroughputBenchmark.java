package ai.dedaluslabs.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of each contender on the same upstream, each in its own JVM, in interleaved rounds:
 * {@code ThroughputBenchmark [rounds] [contender...]}. Prints the medians as a Markdown table.
 */
public final class ThroughputBenchmark {

	/**
	 * Streams consumed before the measured one, in each contender's JVM: 2 by default (the JIT is
	 * still compiling, and its CPU time is counted); {@code -Dbench.warmups=10} measures a steadier state.
	 */
	static final int WARMUPS = Integer.getInteger("bench.warmups", 2);

	private ThroughputBenchmark() {
	}

	record Run(long tokens, long wallNanos, long cpuNanos, long allocatedBytes, long compilerNanos) {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		List<String> names = (args.length > 1) ? List.of(args).subList(1, args.length) : Contenders.NAMES;
		Map<String, List<Run>> runs = new LinkedHashMap<>();
		names.forEach((name) -> runs.put(name, new ArrayList<>()));
		try (Upstream upstream = new Upstream(0, StreamBytes.TOKENS)) {
			for (int round = 1; round <= rounds; round++) {
				// Interleaved: every contender once per round, in a rotating order.
				for (int i = 0; i < names.size(); i++) {
					String name = names.get((i + round) % names.size());
					Run run = runInOwnJvm(name, upstream.baseUrl());
					runs.get(name).add(run);
					System.err.printf(Locale.ROOT,
							"round %d %-22s %,10.0f chunks/s %6.2f us CPU/chunk (%.2f outside the JIT) %,8d B/chunk%n",
							round, name, perSecond(run), cpuMicros(run), cpuMicrosExcludingJit(run), allocated(run));
				}
			}
		}
		System.out.println(table(runs, rounds));
		System.out.println("Warm-up streams per contender JVM: " + WARMUPS + ".");
	}

	static Run runInOwnJvm(String name, String baseUrl) throws Exception {
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
				"-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
				ContenderMain.class.getName(), name, baseUrl, Integer.toString(WARMUPS)));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String result = null;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith("RESULT ")) {
					result = line;
				}
				else if (output.length() < 20_000) {
					output.append(line).append('\n');
				}
			}
		}
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || result == null) {
			throw new IllegalStateException(name + " failed:\n" + output);
		}
		String[] parts = result.split(" ");
		return new Run(Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]),
				Long.parseLong(parts[5]), Long.parseLong(parts[6]));
	}

	static String javaBinary() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	static double perSecond(Run run) {
		return run.tokens() * 1e9 / run.wallNanos();
	}

	static double cpuMicros(Run run) {
		return run.cpuNanos() / 1e3 / run.tokens();
	}

	/** CPU per chunk outside the JIT compiler threads: the code running, not being compiled. */
	static double cpuMicrosExcludingJit(Run run) {
		return (run.cpuNanos() - run.compilerNanos()) / 1e3 / run.tokens();
	}

	static long allocated(Run run) {
		return run.allocatedBytes() / run.tokens();
	}

	static String table(Map<String, List<Run>> runs, int rounds) {
		StringBuilder table = new StringBuilder();
		table.append("| contender | chunks/s | CPU µs/chunk | CPU µs/chunk outside the JIT compiler | allocated B/chunk "
				+ "| vs best peer (chunks/s) |\n");
		table.append("|---|---:|---:|---:|---:|---:|\n");
		double bestPeer = 0;
		for (String peer : List.of("openai-java", "spring-ai", "langchain4j")) {
			if (runs.containsKey(peer)) {
				bestPeer = Math.max(bestPeer, median(runs.get(peer), ThroughputBenchmark::perSecond));
			}
		}
		for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
			double perSecond = median(entry.getValue(), ThroughputBenchmark::perSecond);
			table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %,.0f | %s |%n", entry.getKey(),
					perSecond, median(entry.getValue(), ThroughputBenchmark::cpuMicros),
					median(entry.getValue(), ThroughputBenchmark::cpuMicrosExcludingJit),
					median(entry.getValue(), (run) -> (double) allocated(run)),
					(bestPeer > 0) ? String.format(Locale.ROOT, "%.2fx", perSecond / bestPeer) : "–"));
		}
		table.append(String.format(Locale.ROOT, "%nMedians of %d interleaved rounds; %,d chunks per stream.%n", rounds,
				StreamBytes.TOKENS));
		if (runs.containsKey("dedalus-stream") && runs.containsKey("dedalus-accumulator")) {
			double stream = median(runs.get("dedalus-stream"), ThroughputBenchmark::cpuMicros);
			double accumulated = median(runs.get("dedalus-accumulator"), ThroughputBenchmark::cpuMicros);
			table.append(String.format(Locale.ROOT, "Accumulator CPU over stream(): %+.0f %%.%n",
					(accumulated / stream - 1) * 100));
		}
		return table.toString();
	}

	static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> metric) {
		double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

}
