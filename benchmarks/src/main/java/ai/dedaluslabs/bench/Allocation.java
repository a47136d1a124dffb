package ai.dedaluslabs.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Bytes allocated by the whole JVM (every thread, including ones that start and end during the
 * run), from the heap itself: the bytes every collection freed during the run, plus the growth of
 * the used heap between the start and the end. Exact up to objects that survive into the old
 * generation and die there without a collection, which a run of this length does not leave behind.
 */
final class Allocation {

	private static final AtomicLong FREED = new AtomicLong();

	private static final GarbageCollectorMXBean[] COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans()
		.toArray(GarbageCollectorMXBean[]::new);

	/**
	 * Collections whose notification has been counted in {@link #FREED}, starting from those that
	 * ran before this class was loaded, which no listener will ever hear of.
	 */
	private static final AtomicLong NOTIFIED = new AtomicLong(collections());

	static {
		for (GarbageCollectorMXBean collector : COLLECTORS) {
			((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData());
					long before = info.getGcInfo().getMemoryUsageBeforeGc().values().stream()
						.mapToLong(MemoryUsage::getUsed).sum();
					long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
						.mapToLong(MemoryUsage::getUsed).sum();
					FREED.addAndGet(Math.max(0, before - after));
					NOTIFIED.incrementAndGet();
				}
			}, null, null);
		}
	}

	private Allocation() {
	}

	/** A mark to measure from. */
	static long[] mark() {
		awaitNotifications();
		return new long[] { FREED.get(), used() };
	}

	/** Bytes allocated since a mark. */
	static long since(long[] mark) {
		awaitNotifications();
		return (FREED.get() - mark[0]) + (used() - mark[1]);
	}

	/**
	 * Wait until every collection so far has been counted: the notifications arrive on a thread of
	 * their own, after the collection, so the garbage of a collection just before a mark (a warm-up's,
	 * freed by the mark's own full collection) would otherwise count as allocated after it. The wait
	 * sleeps and allocates nothing, so it cannot cause the collections it waits for.
	 */
	private static void awaitNotifications() {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (NOTIFIED.get() < collections() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static long used() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long collections() {
		long total = 0;
		for (GarbageCollectorMXBean collector : COLLECTORS) {
			total += Math.max(0, collector.getCollectionCount());
		}
		return total;
	}

	/**
	 * CPU time of the JIT compiler threads so far (Linux: each thread's {@code schedstat}; 0
	 * elsewhere): the part of {@link #processCpuNanos()} that is compiling code, not running it.
	 */
	static long compilerCpuNanos() {
		long total = 0;
		try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files
			.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
			for (java.nio.file.Path task : tasks) {
				try {
					// The kernel keeps 15 characters of a name: "C2 CompilerThread0" is "C2 CompilerThre".
					if (java.nio.file.Files.readString(task.resolve("comm")).contains("CompilerThre")) {
						String schedstat = java.nio.file.Files.readString(task.resolve("schedstat"));
						total += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
					}
				}
				catch (java.io.IOException | RuntimeException ex) {
					// a thread that ended while being read
				}
			}
		}
		catch (java.io.IOException ex) {
			return 0;
		}
		return total;
	}

	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

}
