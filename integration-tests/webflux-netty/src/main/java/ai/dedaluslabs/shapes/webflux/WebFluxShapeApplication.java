package ai.dedaluslabs.shapes.webflux;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * A WebFlux application as a user writes one: a chat endpoint that forwards the stream as
 * {@link ServerSentEvent}s.
 */
@SpringBootApplication
public class WebFluxShapeApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebFluxShapeApplication.class, args);
	}

	@RestController
	static class ChatController {

		private final DedalusClient client;

		private final DedalusServerSentEventForwarder forwarder;

		ChatController(DedalusClient client, DedalusServerSentEventForwarder forwarder) {
			this.client = client;
			this.forwarder = forwarder;
		}

		@GetMapping("/chat")
		ResponseEntity<Flux<ServerSentEvent<String>>> chat(@RequestParam(defaultValue = "Hi") String prompt) {
			ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user(prompt)).build();
			return this.forwarder.toServerSentEventsRaw(this.client.chat().completions().streamRaw(request));
		}

	}

}
