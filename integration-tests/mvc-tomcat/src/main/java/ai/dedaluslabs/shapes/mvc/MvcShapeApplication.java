package ai.dedaluslabs.shapes.mvc;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring MVC application as a user writes one: a chat endpoint that forwards the stream to the
 * browser through an {@link SseEmitter}.
 */
@SpringBootApplication
public class MvcShapeApplication {

	public static void main(String[] args) {
		SpringApplication.run(MvcShapeApplication.class, args);
	}

	@RestController
	static class ChatController {

		private final DedalusClient client;

		private final DedalusSseEmitterForwarder forwarder;

		ChatController(DedalusClient client, DedalusSseEmitterForwarder forwarder) {
			this.client = client;
			this.forwarder = forwarder;
		}

		@GetMapping("/chat")
		SseEmitter chat(@RequestParam(defaultValue = "Hi") String prompt) {
			ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user(prompt)).build();
			return this.forwarder.toSseEmitterRaw(this.client.chat().completions().streamRaw(request));
		}

	}

}
