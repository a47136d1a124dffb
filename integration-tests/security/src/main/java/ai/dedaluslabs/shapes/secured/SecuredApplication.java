package ai.dedaluslabs.shapes.secured;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring MVC application under Spring Security: the chat page's stream and the front-end
 * endpoint need a signed-in user. The endpoint is an API called with credentials in a header, not
 * a form, so CSRF protection is switched off for it alone.
 */
@SpringBootApplication
public class SecuredApplication {

	public static void main(String[] args) {
		SpringApplication.run(SecuredApplication.class, args);
	}

	@Bean
	SecurityFilterChain security(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/dedalus/**"))
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("molly").password("{noop}yes").roles("USER").build());
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
			return this.forwarder.toSseEmitterRaw(this.client.chat().completions().streamRaw(request));
		}

	}

}
