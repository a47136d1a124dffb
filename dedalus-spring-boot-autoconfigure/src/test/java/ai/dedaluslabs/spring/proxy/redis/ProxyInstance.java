package ai.dedaluslabs.spring.proxy.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * An application with the endpoint and nothing else, run in its own JVM by the tests that kill an
 * instance. It prints {@code PORT=<port>} once it serves.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ProxyInstance {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ProxyInstance.class);
		application.addListeners((ApplicationListener<WebServerInitializedEvent>) (event) -> {
			System.out.println("PORT=" + event.getWebServer().getPort());
			System.out.flush();
		});
		application.run(args);
	}

}
