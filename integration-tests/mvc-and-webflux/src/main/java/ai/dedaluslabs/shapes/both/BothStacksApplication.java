package ai.dedaluslabs.shapes.both;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;

/**
 * An application with Spring MVC and WebFlux on the classpath (WebFlux for its WebClient, as many
 * have): a servlet application that uses both forwarders.
 */
@SpringBootApplication
public class BothStacksApplication {

	public static void main(String[] args) {
		SpringApplication.run(BothStacksApplication.class, args);
	}

	@RestController
	static class ChatController {

		private final DedalusClient client;

		private final DedalusSseEmitterForwarder emitters;

		private final DedalusServerSentEventForwarder events;

		ChatController(DedalusClient client, DedalusSseEmitterForwarder emitters, DedalusServerSentEventForwarder events) {
			this.client = client;
			this.emitters = emitters;
			this.events = events;
		}

		@GetMapping("/chat")
		SseEmitter chat() {
			return this.emitters.toSseEmitter(this.client.chat().completions().stream(request()));
		}

		@GetMapping("/events")
		ResponseEntity<Flux<ServerSentEvent<String>>> events() {
			return this.events.toServerSentEvents(this.client.chat().completions().stream(request()));
		}

		private static ChatCompletionRequest request() {
			return ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hi")).build();
		}

	}

}
