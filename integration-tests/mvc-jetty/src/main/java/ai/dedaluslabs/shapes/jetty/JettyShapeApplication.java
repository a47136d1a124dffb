package ai.dedaluslabs.shapes.jetty;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring MVC application on Jetty as a user writes one: a chat endpoint that forwards the stream
 * to the browser through an {@link SseEmitter}, with the Jetty settings that
 * {@code docs/spring-mvc-at-scale.md} recommends for many open streams (the request pool's size is
 * in {@code application.properties}).
 */
@SpringBootApplication
public class JettyShapeApplication {

	public static void main(String[] args) {
		SpringApplication.run(JettyShapeApplication.class, args);
	}

	/**
	 * Jetty for many open streams. No per-connection cache of request header fields: Jetty keeps
	 * one (about 100 KB) for every open connection, most of what an open stream would cost, and it
	 * saves a little parsing only on connections that carry many requests. A response buffer of
	 * 8 KiB instead of 32 KiB: Jetty holds one (off the heap) for as long as a response is open. And
	 * a listen backlog for bursts of new streams: Jetty asks for none, which the JDK turns into 50.
	 * @return the customizer
	 */
	@Bean
	WebServerFactoryCustomizer<JettyServletWebServerFactory> jettyForManyStreams() {
		return (factory) -> factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
				if (http != null) {
					http.getHttpConfiguration().setHeaderCacheSize(0);
					http.getHttpConfiguration().setOutputBufferSize(8192);
				}
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(4096);
				}
			}
		});
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
