package ai.dedaluslabs.shapes.cli;

import java.io.PrintStream;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A command-line application: prints the answer to {@code --prompt=...} as it streams, then exits.
 * No web server.
 */
@SpringBootApplication
public class CommandLineShapeApplication {

	public static void main(String[] args) {
		SpringApplication.run(CommandLineShapeApplication.class, args);
	}

	@Bean
	Answerer answerer(DedalusClient client) {
		return new Answerer(client);
	}

	@Bean
	ApplicationRunner ask(Answerer answerer) {
		return (ApplicationArguments args) -> {
			if (args.containsOption("prompt")) {
				answerer.answer(args.getOptionValues("prompt").get(0), System.out);
			}
		};
	}

	/** Streams an answer to a print stream, blocking: a command-line program has no event loop to spare. */
	public static final class Answerer {

		private final DedalusClient client;

		Answerer(DedalusClient client) {
			this.client = client;
		}

		/**
		 * Print the answer to a prompt as it streams.
		 * @param prompt the prompt
		 * @param out where to print
		 */
		public void answer(String prompt, PrintStream out) {
			ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user(prompt)).build();
			for (ChatCompletionChunk chunk : this.client.chat().completions().stream(request).toIterable()) {
				for (ChatCompletionChunk.Choice choice : chunk.choices()) {
					if (choice.delta().content() != null) {
						out.print(choice.delta().content());
					}
				}
			}
			out.println();
		}

	}

}
