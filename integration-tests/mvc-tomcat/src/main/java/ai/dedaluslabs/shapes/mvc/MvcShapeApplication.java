package ai.dedaluslabs.shapes.mvc;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring MVC application as a user writes one: a chat endpoint that forwards the stream to the
 * browser through an {@link SseEmitter}, with the Tomcat settings that
 * {@code docs/spring-mvc-at-scale.md} recommends for many open streams (the properties are in
 * {@code application.properties}).
 */
@SpringBootApplication
public class MvcShapeApplication {

	public static void main(String[] args) {
		SpringApplication.run(MvcShapeApplication.class, args);
	}

	/**
	 * Smaller socket buffers: Tomcat keeps a read and a write buffer (8 KiB each by default) for every
	 * open connection, and its request header buffer is the read buffer's size larger again, while a
	 * streamed answer writes frames of a few hundred bytes. Larger reads bypass the read buffer and
	 * larger writes go out one buffer's worth at a time, so bigger requests and frames still go
	 * through whole (the shape's tests send both), at more system calls for large response bodies.
	 * @return the customizer
	 */
	@Bean
	TomcatConnectorCustomizer smallSocketBuffers() {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", "1024");
			connector.setProperty("socket.appWriteBufSize", "1024");
		};
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
