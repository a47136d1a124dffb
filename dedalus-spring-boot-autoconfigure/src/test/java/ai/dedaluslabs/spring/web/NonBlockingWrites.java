package ai.dedaluslabs.spring.web;

import java.util.concurrent.RejectedExecutionException;

import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring MVC forwarder whose blocking fallback refuses to run: a stream that is not written with
 * servlet non-blocking I/O fails instead of passing quietly on a worker thread. Imported by the
 * Spring MVC test applications, so every forwarded stream they check shows the non-blocking path.
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class NonBlockingWrites {

	@Bean
	DedalusSseEmitterForwarder nonBlockingOnlyForwarder(SseFrames frames) {
		return new DedalusSseEmitterForwarder(frames, Schedulers.fromExecutor((task) -> {
			throw new RejectedExecutionException("a frame was about to be written with a blocking send");
		}));
	}

}
