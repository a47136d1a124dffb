package ai.dedaluslabs.bench;

/**
 * One contender in its own JVM: {@code ContenderMain <name> <baseUrl> <warmups>}. Consumes the
 * stream {@code warmups} times to let the JIT settle, then once measured, and prints one
 * {@code RESULT} line: tokens, wall time, process CPU time, bytes allocated, and the CPU time of
 * the JIT compiler threads (part of the process CPU time).
 */
public final class ContenderMain {

	private ContenderMain() {
	}

	public static void main(String[] args) throws Exception {
		String name = args[0];
		int warmups = Integer.parseInt(args[2]);
		try (Contender contender = Contenders.create(name, args[1])) {
			for (int i = 0; i < warmups; i++) {
				check(name, contender.consume());
			}
			System.gc();
			long[] allocatedBefore = Allocation.mark();
			long cpuBefore = Allocation.processCpuNanos();
			long compilingBefore = Allocation.compilerCpuNanos();
			long start = System.nanoTime();
			long tokens = contender.consume();
			long wall = System.nanoTime() - start;
			long cpu = Allocation.processCpuNanos() - cpuBefore;
			long compiling = Allocation.compilerCpuNanos() - compilingBefore;
			long allocated = Allocation.since(allocatedBefore);
			check(name, tokens);
			System.out.println("RESULT " + name + " " + tokens + " " + wall + " " + cpu + " " + allocated + " " + compiling);
		}
		System.exit(0);
	}

	private static void check(String name, long tokens) {
		if (tokens != StreamBytes.TOKENS) {
			throw new IllegalStateException(name + " counted " + tokens + " tokens instead of " + StreamBytes.TOKENS);
		}
	}

}
