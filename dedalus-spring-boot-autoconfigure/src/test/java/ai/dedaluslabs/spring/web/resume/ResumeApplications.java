package ai.dedaluslabs.spring.web.resume;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applications that serve a resumable stream, as a user writes them: {@code GET /resumable} and
 * {@code DELETE /resumable/{id}}, on each stack.
 */
public final class ResumeApplications {

	private ResumeApplications() {
	}

	static Flux<RawChatCompletionChunk> answer(DedalusClient client, String prompt) {
		return client.chat()
			.completions()
			.streamRaw(ChatCompletionRequest.builder().model("openai/gpt-5-nano").addMessage(ChatMessage.user(prompt)).build());
	}

	static @Nullable String lastEventId(@Nullable String header, @Nullable String parameter) {
		return (header != null) ? header : parameter;
	}

	static Mono<ResponseEntity<Void>> stopped(Mono<Boolean> stop) {
		return stop.map((found) -> found ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ MvcController.class, ai.dedaluslabs.spring.web.NonBlockingWrites.class })
	public static class Mvc {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(WebFluxController.class)
	public static class WebFlux {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@RestController
	static class MvcController {

		private final ResumableStreams streams;

		private final DedalusSseEmitterForwarder forwarder;

		private final DedalusClient client;

		MvcController(ResumableStreams streams, DedalusSseEmitterForwarder forwarder, DedalusClient client) {
			this.streams = streams;
			this.forwarder = forwarder;
			this.client = client;
		}

		@GetMapping("/resumable")
		ResponseEntity<?> resumable(@RequestParam(defaultValue = "Hi") String prompt,
				@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String header,
				@RequestParam(name = "lastEventId", required = false) @Nullable String parameter) {
			return this.forwarder.toSseEmitterResumable(
					this.streams.open(lastEventId(header, parameter), null, () -> answer(this.client, prompt)));
		}

		@DeleteMapping("/resumable/{streamId}")
		Mono<ResponseEntity<Void>> stop(@PathVariable String streamId) {
			return stopped(this.streams.stop(streamId, null));
		}

	}

	@RestController
	static class WebFluxController {

		private final ResumableStreams streams;

		private final DedalusServerSentEventForwarder forwarder;

		private final DedalusClient client;

		WebFluxController(ResumableStreams streams, DedalusServerSentEventForwarder forwarder, DedalusClient client) {
			this.streams = streams;
			this.forwarder = forwarder;
			this.client = client;
		}

		@GetMapping("/resumable")
		ResponseEntity<?> resumable(@RequestParam(defaultValue = "Hi") String prompt,
				@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String header,
				@RequestParam(name = "lastEventId", required = false) @Nullable String parameter) {
			return this.forwarder.toServerSentEventsResumable(
					this.streams.open(lastEventId(header, parameter), null, () -> answer(this.client, prompt)));
		}

		@DeleteMapping("/resumable/{streamId}")
		Mono<ResponseEntity<Void>> stop(@PathVariable String streamId) {
			return stopped(this.streams.stop(streamId, null));
		}

	}

}
