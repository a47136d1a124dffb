package ai.dedaluslabs.spring.web;

import java.time.Duration;

/**
 * A forwarded stream ran longer than {@code dedalus.sse.timeout}; the upstream request was
 * cancelled and the browser received a {@code timeout} error event.
 *
 * @since 0.1.0
 */
public final class ForwardingTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	ForwardingTimeoutException(Duration limit) {
		super("The forwarded stream ran longer than dedalus.sse.timeout (" + limit + ")");
	}

}
