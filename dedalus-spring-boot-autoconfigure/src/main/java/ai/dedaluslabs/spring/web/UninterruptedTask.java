package ai.dedaluslabs.spring.web;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A timer task that a dispose never interrupts while it runs. Reactor's schedulers cancel a
 * running task's future with an interrupt when it is disposed from another thread, and a heartbeat
 * or a time limit writes to the response on the timer's thread: Tomcat fails a write on an
 * interrupted thread ({@code ClientAbortException: The current thread was interrupted}), so a
 * forwarded stream that ended while its heartbeat was being written was taken for a browser gone,
 * and the browser got nothing. Disposed before it starts, the task does not run; disposed while
 * it runs, it runs to its end, and the caller's own state stops whatever it would do next.
 */
final class UninterruptedTask implements Runnable, Disposable {

	private static final int WAITING = 0;

	private static final int RUNNING = 1;

	private static final int DISPOSED = 2;

	private static final AtomicIntegerFieldUpdater<UninterruptedTask> STATE = AtomicIntegerFieldUpdater
		.newUpdater(UninterruptedTask.class, "state");

	private final Runnable task;

	private volatile int state;

	private volatile @Nullable Disposable scheduled;

	private UninterruptedTask(Runnable task) {
		this.task = task;
	}

	/**
	 * Schedule a task that is never interrupted once it has started.
	 * @param scheduler the timer
	 * @param task what to run
	 * @param delayNanos when
	 * @return disposes the task if it has not started yet
	 */
	static Disposable schedule(Scheduler scheduler, Runnable task, long delayNanos) {
		UninterruptedTask wrapper = new UninterruptedTask(task);
		Disposable scheduled = scheduler.schedule(wrapper, delayNanos, TimeUnit.NANOSECONDS);
		wrapper.scheduled = scheduled;
		if (wrapper.state == DISPOSED) {
			scheduled.dispose();
		}
		return wrapper;
	}

	@Override
	public void run() {
		if (STATE.compareAndSet(this, WAITING, RUNNING)) {
			this.task.run();
		}
	}

	@Override
	public void dispose() {
		if (STATE.compareAndSet(this, WAITING, DISPOSED)) {
			Disposable pending = this.scheduled;
			if (pending != null) {
				pending.dispose();
			}
		}
	}

	/** {@code true} once the task has started or been disposed: nothing is left to dispose then. */
	@Override
	public boolean isDisposed() {
		return this.state != WAITING;
	}

}
