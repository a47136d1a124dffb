package ai.dedaluslabs.spring.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import io.netty.buffer.ByteBuf;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;

/**
 * The applications the forwarding tests run: the same endpoints on Spring MVC (Tomcat) and on
 * WebFlux (Netty).
 */
final class ForwardingApplications {

	private ForwardingApplications() {
	}

	static ChatCompletionRequest request() {
		return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Tell me")).build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ MvcController.class, NonBlockingWrites.class })
	static class Mvc {

		/** Counts the async dispatches of each path: a forwarded stream should end without one. */
		@Bean
		FilterRegistrationBean<OncePerRequestFilter> asyncDispatchCounter() {
			FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
					new OncePerRequestFilter() {
						@Override
						protected boolean shouldNotFilterAsyncDispatch() {
							return false;
						}

						@Override
						protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
								FilterChain chain) throws ServletException, IOException {
							if (request.getDispatcherType() == DispatcherType.ASYNC) {
								ASYNC_DISPATCHES.computeIfAbsent(request.getRequestURI(), (path) -> new AtomicInteger())
									.incrementAndGet();
							}
							chain.doFilter(request, response);
						}
					});
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
			return registration;
		}

	}

	/** Async dispatches by path, in the Spring MVC application. */
	static final Map<String, AtomicInteger> ASYNC_DISPATCHES = new ConcurrentHashMap<>();

	/** Completions seen by the callback {@code /emitter/raw/callback} registers on its emitter. */
	static final AtomicInteger EMITTER_COMPLETIONS = new AtomicInteger();

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(FluxController.class)
	static class WebFlux {

	}

	@RestController
	static class MvcController {

		private final DedalusClient client;

		private final DedalusSseEmitterForwarder forwarder;

		private final DedalusServerSentEventForwarder events;

		MvcController(DedalusClient client, DedalusSseEmitterForwarder forwarder,
				DedalusServerSentEventForwarder events) {
			this.client = client;
			this.forwarder = forwarder;
			this.events = events;
		}

		@GetMapping("/emitter")
		SseEmitter emitter() {
			return this.forwarder.toSseEmitter(this.client.chat().completions().stream(request()));
		}

		@GetMapping("/emitter/text")
		SseEmitter text() {
			return this.forwarder.toTextSseEmitter(this.client.chat().completions().stream(request()));
		}

		@GetMapping("/emitter/raw")
		SseEmitter raw() {
			return this.forwarder.toSseEmitterRaw(this.client.chat().completions().streamRaw(request()));
		}

		@GetMapping("/emitter/raw/callback")
		SseEmitter rawWithCallback() {
			SseEmitter emitter = raw();
			emitter.onCompletion(EMITTER_COMPLETIONS::incrementAndGet);
			return emitter;
		}

		@GetMapping("/events")
		ResponseEntity<Flux<ServerSentEvent<String>>> events() {
			return this.events.toServerSentEvents(this.client.chat().completions().stream(request()));
		}

	}

	@RestController
	static class FluxController {

		private final DedalusClient client;

		private final DedalusServerSentEventForwarder forwarder;

		FluxController(DedalusClient client, DedalusServerSentEventForwarder forwarder) {
			this.client = client;
			this.forwarder = forwarder;
		}

		@GetMapping("/events")
		ResponseEntity<Flux<ServerSentEvent<String>>> events() {
			return this.forwarder.toServerSentEvents(this.client.chat().completions().stream(request()));
		}

		@GetMapping("/events/text")
		ResponseEntity<Flux<ServerSentEvent<String>>> text() {
			return this.forwarder.toTextServerSentEvents(this.client.chat().completions().stream(request()));
		}

		@GetMapping("/events/raw")
		ResponseEntity<Flux<ServerSentEvent<String>>> raw() {
			return this.forwarder.toServerSentEventsRaw(this.client.chat().completions().streamRaw(request()));
		}

		@GetMapping("/events/bytes")
		ResponseEntity<Flux<DataBuffer>> bytes() {
			return this.forwarder.toEventStreamRaw(this.client.chat().completions().streamRaw(request()));
		}

		/** {@code /events/bytes}, keeping each buffer handed to the server in {@link #HANDED_OVER}. */
		@GetMapping("/events/bytes/recorded")
		ResponseEntity<Flux<DataBuffer>> recorded() {
			ResponseEntity<Flux<DataBuffer>> response = bytes();
			Flux<DataBuffer> body = Objects.requireNonNull(response.getBody());
			return ResponseEntity.status(response.getStatusCode())
				.headers(response.getHeaders())
				.body(body.doOnNext((buffer) -> {
					ByteBuf handed = ((NettyDataBuffer) buffer).getNativeBuffer();
					HANDED_OVER.add(new HandedOver(handed, handed.isDirect()));
				}));
		}

	}

	/** The buffers {@code /events/bytes/recorded} handed to the server, to see that each was released. */
	static final List<HandedOver> HANDED_OVER = new CopyOnWriteArrayList<>();

	/** A buffer handed to the server, and whether it was direct then (a released one cannot say). */
	record HandedOver(ByteBuf buffer, boolean direct) {
	}

}
