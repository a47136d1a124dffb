package ai.dedaluslabs.client.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.StreamOptions;
import ai.dedaluslabs.client.json.WireJson;
import tools.jackson.databind.json.JsonMapper;

/**
 * What writing a request costs a JVM that has just started: the time per request over
 * successive ranges of requests (the first, the 2nd to the 10th, ... up to the millionth), in a
 * fresh JVM per run, for the client's encoder ({@code writer}: {@code RequestWriting} through
 * {@code RequestEncoder}) and for Jackson's data binding of the same request ({@code databind}, how
 * the client wrote requests before). A server opens one upstream request per stream, so the
 * early ranges are what its first thousands of streams pay while the JIT has not compiled the
 * code yet. {@code RequestEncodingBenchmark [runs]} prints the medians over the runs; the JVMs
 * of the two modes alternate. Beside the client's internals it measures, as
 * {@code SseParserBenchmark} does; the command is in {@code benchmarks/RESULTS.md}.
 */
public final class RequestEncodingBenchmark {

	/** The last request of each range. */
	private static final int[] RANGE_ENDS = { 1, 10, 100, 1_000, 4_000, 20_000, 100_000, 1_000_000 };

	private static final List<String> MODES = List.of("databind", "writer");

	private RequestEncodingBenchmark() {
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
		StringBuilder table = new StringBuilder("| requests | databind µs each | writer µs each | writer / databind |\n");
		table.append("|---|---:|---:|---:|\n");
		int from = 1;
		for (int range = 0; range < RANGE_ENDS.length; range++) {
			double databind = median(micros[0], range);
			double writer = median(micros[1], range);
			String name = (from == RANGE_ENDS[range]) ? String.format(Locale.ROOT, "%,d", from)
					: String.format(Locale.ROOT, "%,d–%,d", from, RANGE_ENDS[range]);
			table.append(String.format(Locale.ROOT, "| %s | %,.2f | %,.2f | %.2fx |%n", name, databind, writer,
					writer / databind));
			from = RANGE_ENDS[range] + 1;
		}
		System.out.println(table);
		System.out.println("Medians of " + runs + " fresh JVMs per mode.");
	}

	private static double[] inOwnJvm(String mode) throws Exception {
		List<String> command = List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseG1GC", "-cp",
				System.getProperty("java.class.path"), RequestEncodingBenchmark.class.getName(), mode);
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
		boolean databind = mode.equals("databind");
		List<String> micros = new ArrayList<>();
		long sink = 0;
		int done = 0;
		for (int end : RANGE_ENDS) {
			long start = System.nanoTime();
			for (int i = done; i < end; i++) {
				sink += databind ? mapper.writeValueAsBytes(asSent(request)).length : encoder.encode(request, true).length;
			}
			micros.add(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e3 / (end - done)));
			done = end;
		}
		if (sink == 0) {
			throw new IllegalStateException("nothing written");
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
