package ai.dedaluslabs.client.chat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.internal.RequestEncoder;
import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.databind.json.JsonMapper;

/**
 * What writing and reading a request cost a JVM that has just started: the time per request over
 * successive ranges of requests (the first, the 2nd to the 10th, ... up to the millionth), in a
 * fresh JVM per run and mode. Writing: the client's encoder ({@code writer}, {@code RequestWriting}
 * through {@code RequestEncoder}) against Jackson's data binding of the same request
 * ({@code databind}, how the client wrote requests before). Reading a body as the front-end
 * endpoint does (a tree, then the request): with {@link TreeReading} ({@code tree}) and by data
 * binding alone ({@code bound}). A server writes (and, as an endpoint, reads) one request per
 * stream, so the early ranges are what its first thousands of streams pay while the JIT has not
 * compiled the code yet. {@code RequestJsonBenchmark [runs]} prints the medians over the runs,
 * the modes' JVMs alternating. Beside the client's internals, as {@code SseParserBenchmark} is;
 * the command is in {@code benchmarks/RESULTS.md}.
 */
public final class RequestJsonBenchmark {

	/** The last request of each range. */
	private static final int[] RANGE_ENDS = { 1, 10, 100, 1_000, 4_000, 20_000, 100_000, 1_000_000 };

	private static final List<String> MODES = List.of("databind", "writer", "bound", "tree");

	private RequestJsonBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && MODES.contains(args[0])) {
			System.out.println(measure(args[0]));
			return;
		}
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		double[][][] micros = new double[MODES.size()][runs][];
		for (int run = 0; run < runs; run++) {
			for (int mode = 0; mode < MODES.size(); mode++) {
				micros[mode][run] = inOwnJvm(MODES.get(mode));
				System.err.printf(Locale.ROOT, "run %d %-8s %s%n", run + 1, MODES.get(mode),
						Arrays.toString(micros[mode][run]));
			}
		}
		StringBuilder table = new StringBuilder("| requests | write: databind | writer | ratio | read: bound | tree | ratio |\n");
		table.append("|---|---:|---:|---:|---:|---:|---:|\n");
		int from = 1;
		for (int range = 0; range < RANGE_ENDS.length; range++) {
			String name = (from == RANGE_ENDS[range]) ? String.format(Locale.ROOT, "%,d", from)
					: String.format(Locale.ROOT, "%,d–%,d", from, RANGE_ENDS[range]);
			table.append("| ").append(name);
			for (int mode = 0; mode < MODES.size(); mode += 2) {
				double before = median(micros[mode], range);
				double after = median(micros[mode + 1], range);
				table.append(String.format(Locale.ROOT, " | %,.2f µs | %,.2f µs | %.2fx", before, after, after / before));
			}
			table.append(" |\n");
			from = RANGE_ENDS[range] + 1;
		}
		System.out.println(table);
		System.out.println("Medians of " + runs + " fresh JVMs per mode.");
	}

	private static double[] inOwnJvm(String mode) throws Exception {
		List<String> command = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseG1GC", "-cp",
				System.getProperty("java.class.path"), RequestJsonBenchmark.class.getName(), mode);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String last = null;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				last = line;
			}
		}
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
			throw new IllegalStateException("The " + mode + " JVM failed: " + last);
		}
		return Arrays.stream(last.split(",")).mapToDouble(Double::parseDouble).toArray();
	}

	/** Runs in the fresh JVM: the microseconds per request of each range, comma-separated. */
	private static String measure(String mode) {
		JsonMapper mapper = WireJson.defaultMapper();
		RequestEncoder encoder = new RequestEncoder(mapper, "openai/gpt-5-nano", true);
		// A short conversation: an instruction and a question.
		ChatCompletionRequest request = ChatCompletionRequest.builder()
			.addMessage(ChatMessage.system("You are Stephen Dedalus. Respond in morose Joycean malaise."))
			.addMessage(ChatMessage.user("What do you think of artificial intelligence?"))
			.build();
		// Written by hand, not by the encoder, so that a writing mode's first request is its first.
		byte[] body = ("{\"model\":\"openai/gpt-5-nano\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
				+ "\"messages\":[{\"role\":\"system\",\"content\":\"You are Stephen Dedalus. Respond in morose Joycean "
				+ "malaise.\"},{\"role\":\"user\",\"content\":\"What do you think of artificial intelligence?\"}]}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		List<String> micros = new ArrayList<>();
		long sink = 0;
		int done = 0;
		for (int end : RANGE_ENDS) {
			long start = System.nanoTime();
			for (int i = done; i < end; i++) {
				sink += switch (mode) {
					case "databind" -> mapper.writeValueAsBytes(asSent(request)).length;
					case "writer" -> encoder.encode(request, true).length;
					case "bound" -> RequestDecoding.readByDataBinding(mapper, mapper.readTree(body)).messages().size();
					default -> RequestDecoding.read(mapper, mapper.readTree(body)).messages().size();
				};
			}
			micros.add(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e3 / (end - done)));
			done = end;
		}
		if (sink == 0) {
			throw new IllegalStateException("nothing written or read");
		}
		return String.join(",", micros);
	}

	/** The request as the client sends it: its model, and the stream flags filled in. */
	private static ChatCompletionRequest asSent(ChatCompletionRequest request) {
		return request.newBuilder()
			.model("openai/gpt-5-nano")
			.stream(true)
			.streamOptions(StreamOptions.withUsage())
			.build();
	}

	private static double median(double[][] runs, int range) {
		double[] values = new double[runs.length];
		for (int run = 0; run < runs.length; run++) {
			values[run] = runs[run][range];
		}
		Arrays.sort(values);
		return values[values.length / 2];
	}

}
