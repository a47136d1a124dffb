package ai.dedaluslabs.spring.proxy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open requests of each caller, streamed or not, and refuses one beyond the limit.
 */
final class RequestLimiter {

	private final int maxPerCaller;

	private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

	RequestLimiter(int maxPerCaller) {
		this.maxPerCaller = maxPerCaller;
	}

	/** Take a place for a request; {@code false} when the caller has as many open as allowed. */
	boolean tryAcquire(String caller) {
		boolean[] acquired = { false };
		this.open.compute(caller, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.maxPerCaller) {
				return count;
			}
			acquired[0] = true;
			return current + 1;
		});
		return acquired[0];
	}

	/** Give a place back. */
	void release(String caller) {
		this.open.computeIfPresent(caller, (key, count) -> (count <= 1) ? null : count - 1);
	}

	int maxPerCaller() {
		return this.maxPerCaller;
	}

}
