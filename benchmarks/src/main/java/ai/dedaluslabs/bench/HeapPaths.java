package ai.dedaluslabs.bench;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.netbeans.lib.profiler.heap.FieldValue;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.ObjectFieldValue;

/**
 * What keeps the large arrays of a heap dump alive: for every {@code byte[]} (or, named as the
 * fourth argument, {@code char[]} or any other array type) of at least the given size, the path of references to its nearest GC root, grouped, most frequent first. With
 * {@code ConcurrencyBenchmark -Dbench.prompt.kib=16 -Dbench.heapdump=true -Dbench.histo=DIR}, the
 * arrays the size of the request show what an open stream keeps of it.
 *
 * <pre>
 * java -Xmx8g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   ai.dedaluslabs.bench.HeapPaths DIR/heap-proxy-webflux.hprof 16000 3
 * java -Xmx8g -cp ... ai.dedaluslabs.bench.HeapPaths DIR/heap-forwarded-jetty.hprof 8000 3 'char[]'
 * </pre>
 */
public final class HeapPaths {

	private static final int MAX_DEPTH = 60;

	private HeapPaths() {
	}

	/**
	 * Print the paths.
	 * @param args the heap dump, the smallest array size in bytes, how many distinct paths to print, and
	 * optionally the array type (default {@code byte[]})
	 * @throws Exception when the dump cannot be read
	 */
	public static void main(String[] args) throws Exception {
		Heap heap = HeapFactory.createHeap(new File(args[0]));
		long smallest = Long.parseLong(args[1]);
		int shown = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		String type = (args.length > 3) ? args[3] : "byte[]";
		Map<String, Integer> paths = new LinkedHashMap<>();
		int arrays = 0;
		for (Instance instance : heap.getAllInstances()) {
			if (instance.getJavaClass().getName().equals(type) && instance.getSize() >= smallest) {
				arrays++;
				paths.merge(pathToRoot(instance), 1, Integer::sum);
			}
		}
		System.out.println(arrays + " " + type + " arrays of at least " + smallest + " bytes");
		paths.entrySet()
			.stream()
			.sorted((a, b) -> b.getValue() - a.getValue())
			.limit(shown)
			.forEach((path) -> System.out.println(path.getValue() + " x\n" + path.getKey()));
	}

	/** Each object on the way to the root, with the field of the next one that refers to it. */
	private static String pathToRoot(Instance start) {
		StringBuilder path = new StringBuilder();
		Instance current = start;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			Instance holder = current.getNearestGCRootPointer();
			boolean root = holder == null || holder.equals(current);
			// Lambda class names carry a per-run suffix; without it, equal paths group together.
			path.append("   ").append(current.getJavaClass().getName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda"));
			path.append(root ? "  [GC root]" : "  <- " + field(holder, current) + " of").append('\n');
			if (root) {
				break;
			}
			current = holder;
		}
		return path.toString();
	}

	private static String field(Instance holder, Instance held) {
		if (holder instanceof ObjectArrayInstance) {
			return "[]";
		}
		for (FieldValue value : holder.getFieldValues()) {
			if (value instanceof ObjectFieldValue reference && reference.getInstance() != null
					&& reference.getInstance().getInstanceId() == held.getInstanceId()) {
				return value.getField().getName();
			}
		}
		return "?";
	}

}
