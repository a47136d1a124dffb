package ai.dedaluslabs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording's execution samples were doing: the share of samples per thread group, the
 * methods most often on top of the stack, and, for each name prefix given, the share of samples with
 * a frame of it anywhere in the stack (inclusive). JDK 17 has no {@code jfr view}; this is the part
 * of it the benchmarks' profiles need. Record with a deep stack, or the write paths of servlet
 * containers are cut off before their callers:
 *
 * <pre>
 * -Dbench.app.jvm="-Xmx1g -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename=app.jfr,settings=profile,jdk.ExecutionSample#period=1ms"
 * java -cp ... ai.dedaluslabs.bench.ProfileSummary app.jfr 25 org.eclipse.jetty. reactor.netty. ai.dedaluslabs.
 * java -Dfocus=ai.dedaluslabs.spring.web.servlet.SseEmitterWriter -cp ... ai.dedaluslabs.bench.ProfileSummary app.jfr 40
 * </pre>
 * <p>
 * {@code -Dfocus=<method prefix>} adds the callees of the outermost matching frame and the methods on
 * top of the stack beneath it; {@code -Dseconds=true} the samples per thread group in each second.
 */
public final class ProfileSummary {

	private ProfileSummary() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 0) {
			System.err.println("Usage: ProfileSummary <recording.jfr> [top] [name prefix...]"
					+ " (-Dfocus=<method prefix>, -Dseconds=true)");
			System.exit(2);
		}
		Path file = Path.of(args[0]);
		int top = (args.length > 1) ? Integer.parseInt(args[1]) : 25;
		List<String> prefixes = List.of(args).subList(Math.min(2, args.length), args.length);
		Map<String, Integer> threads = new HashMap<>();
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> inclusive = new HashMap<>();
		// -Dfocus=<method prefix>: what the samples under that method were doing (its callees, and
		// the methods on top of the stack) as shares of all samples.
		String focus = System.getProperty("focus");
		Map<String, Integer> callees = new HashMap<>();
		Map<String, Integer> focusSelf = new HashMap<>();
		// -Dseconds=true: samples per thread group in each second of the recording.
		boolean seconds = Boolean.getBoolean("seconds");
		Map<Long, Map<String, Integer>> bySecond = new TreeMap<>();
		int samples = 0;
		int truncated = 0;
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				if (stack == null || stack.getFrames().isEmpty()) {
					continue;
				}
				samples++;
				if (stack.isTruncated()) {
					truncated++;
				}
				String thread = event.getThread("sampledThread").getJavaName();
				threads.merge(threadGroup(thread), 1, Integer::sum);
				if (seconds) {
					bySecond.computeIfAbsent(event.getStartTime().getEpochSecond(), (second) -> new HashMap<>())
						.merge(threadGroup(thread), 1, Integer::sum);
				}
				List<RecordedFrame> frames = stack.getFrames();
				self.merge(name(frames.get(0)), 1, Integer::sum);
				if (focus != null) {
					for (int i = frames.size() - 1; i >= 0; i--) {
						if (name(frames.get(i)).startsWith(focus)) {
							callees.merge((i > 0) ? name(frames.get(i - 1)) : "(itself)", 1, Integer::sum);
							focusSelf.merge(name(frames.get(0)), 1, Integer::sum);
							break;
						}
					}
				}
				for (String prefix : prefixes) {
					if (frames.stream().anyMatch((frame) -> name(frame).startsWith(prefix))) {
						inclusive.merge(prefix, 1, Integer::sum);
					}
				}
			}
		}
		System.out.printf("%,d execution samples, %,d with truncated stacks%n", samples, truncated);
		print("threads", threads, samples, top);
		bySecond.forEach((second, groups) -> System.out.println(Instant.ofEpochSecond(second) + "  " + groups));
		print("on top of the stack", self, samples, top);
		print("anywhere in the stack", inclusive, samples, top);
		if (focus != null) {
			print("called by " + focus, callees, samples, top);
			print("on top of the stack under " + focus, focusSelf, samples, top);
		}
	}

	private static void print(String title, Map<String, Integer> counts, int samples, int top) {
		System.out.println("-- " + title);
		counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
			.limit(top)
			.forEach((entry) -> System.out.printf("%6.2f %%  %s%n", 100.0 * entry.getValue() / samples, entry.getKey()));
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	/** Thread names without their numbers: pools count as one. */
	private static String threadGroup(String thread) {
		return (thread != null) ? thread.replaceAll("\\d+", "N") : "?";
	}

}
