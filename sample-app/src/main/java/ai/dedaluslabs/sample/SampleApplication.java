package ai.dedaluslabs.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample chat application. Run it with no configuration to chat with the simulated model, or
 * with {@code --dedalus.api-key=...} (or {@code DEDALUS_API_KEY}) to chat with the real API.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
