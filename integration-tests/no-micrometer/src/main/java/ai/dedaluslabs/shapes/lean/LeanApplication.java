package ai.dedaluslabs.shapes.lean;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring MVC application that excludes Micrometer's metrics from the starter and has no
 * Actuator.
 */
@SpringBootApplication
public class LeanApplication {

	public static void main(String[] args) {
		SpringApplication.run(LeanApplication.class, args);
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
		SseEmitter chat() {
			ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user("Hi")).build();
			return this.forwarder.toTextSseEmitter(this.client.chat().completions().stream(request));
		}

	}

}
