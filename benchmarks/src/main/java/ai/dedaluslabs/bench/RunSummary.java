package ai.dedaluslabs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The medians of repeated runs of {@link ConcurrencyBenchmark} ({@code -Dbench.runs=N}). On this
 * machine one run's p99 decides nothing (the same relay twice in one run differed by up to 1.74x),
 * so each mode is compared with the first one named through the median, and the range, of its
 * ratios within each run: the modes of a run share the machine's state of that moment.
 */
final class RunSummary {

	/**
	 * One mode's figures in one run.
	 * @param mode the mode
	 * @param p99Millis the p99 delay
	 * @param p99MiddleMillis the p99 delay mid-stream
	 * @param cpuMicrosPerChunk the CPU time per chunk of the JVM under test
	 * @param liveKiBPerStream the live heap per open stream
	 */
	record Measurement(String mode, double p99Millis, double p99MiddleMillis, double cpuMicrosPerChunk,
			double liveKiBPerStream) {
	}

	private static final List<Column> COLUMNS = List.of(new Column("p99", " ms", Measurement::p99Millis),
			new Column("p99 mid-stream", " ms", Measurement::p99MiddleMillis),
			new Column("CPU per chunk", " µs", Measurement::cpuMicrosPerChunk),
			new Column("live heap per open stream", " KiB", Measurement::liveKiBPerStream));

	private final List<List<Measurement>> runs = new ArrayList<>();

	/**
	 * Add a run.
	 * @param run every mode's figures, in the order the modes were named
	 */
	void add(List<Measurement> run) {
		this.runs.add(List.copyOf(run));
	}

	/**
	 * The medians, as two Markdown tables: each mode's own figures, and each mode after the first
	 * as ratios to it.
	 * @param streams the streams of these runs
	 * @return the tables
	 */
	String tables(int streams) {
		List<Measurement> first = this.runs.get(0);
		String base = first.get(0).mode();
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%nMedians of %d runs at %,d streams (range):%n%n", this.runs.size(), streams));
		header(out, "mode");
		for (int i = 0; i < first.size(); i++) {
			int index = i;
			out.append("| ").append(first.get(i).mode());
			for (Column column : COLUMNS) {
				double[] values = this.runs.stream().mapToDouble((run) -> column.value().applyAsDouble(run.get(index))).toArray();
				out.append(" | ").append(spread(values, "%.1f", column.unit()));
			}
			out.append(" |\n");
		}
		if (first.size() > 1) {
			out.append('\n');
			header(out, "ratio to " + base + ", median of the per-run ratios (range)");
			for (int i = 1; i < first.size(); i++) {
				int index = i;
				out.append("| ").append(first.get(i).mode());
				for (Column column : COLUMNS) {
					double[] ratios = this.runs.stream()
						.mapToDouble((run) -> column.value().applyAsDouble(run.get(index))
								/ column.value().applyAsDouble(run.get(0)))
						.toArray();
					out.append(" | ").append(spread(ratios, "%.2f", "x"));
				}
				out.append(" |\n");
			}
		}
		return out.toString();
	}

	private static void header(StringBuilder out, String first) {
		out.append("| ").append(first);
		COLUMNS.forEach((column) -> out.append(" | ").append(column.name()));
		out.append(" |\n|---");
		COLUMNS.forEach((column) -> out.append("|---:"));
		out.append("|\n");
	}

	/** The median with its unit, and the range: {@code 21.8 ms (11.1–69.7)}. */
	private static String spread(double[] values, String format, String unit) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, format + unit + " (" + format + "–" + format + ")", median(sorted), sorted[0],
				sorted[sorted.length - 1]);
	}

	/** The median of sorted values; of an even count, the mean of the middle two. */
	static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private record Column(String name, String unit, ToDoubleFunction<Measurement> value) {
	}

}
