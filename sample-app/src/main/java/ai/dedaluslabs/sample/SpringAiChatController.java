package ai.dedaluslabs.sample;

import java.util.ArrayList;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.spring.ai.DedalusChatOptions;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;

/**
 * The page's Spring AI mode: the same question through Spring AI's {@link ChatClient} on
 * {@code DedalusChatModel}, with a {@code @Tool} weather lookup that Spring AI runs when the model
 * asks for it (the simulated model does, for questions about the weather), the answer streamed to
 * the page in the OpenAI chunk shape the other modes use. The caller's place and token budget hold
 * here as on the other endpoints ({@link DedalusProxy#guard}).
 */
@RestController
class SpringAiChatController {

	private static final int MAX_PROMPT_LENGTH = 4000;

	private static final int MAX_COMPLETION_TOKENS = 1024;

	private final ChatClient chat;

	private final DedalusServerSentEventForwarder events;

	private final DedalusProxy rules;

	private final WeatherTools weather = new WeatherTools();

	SpringAiChatController(ChatClient.Builder chat, DedalusServerSentEventForwarder events, DedalusProxy rules) {
		this.chat = chat.defaultSystem("You are Stephen Dedalus. Respond in morose Joycean malaise.").build();
		this.events = events;
		this.rules = rules;
	}

	@GetMapping("/api/chat/spring-ai")
	ResponseEntity<Flux<ServerSentEvent<String>>> springAi(@RequestParam String prompt, HttpServletRequest http) {
		if (!StringUtils.hasText(prompt) || prompt.length() > MAX_PROMPT_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"prompt must have between 1 and " + MAX_PROMPT_LENGTH + " characters");
		}
		Flux<ChatResponse> answer = this.chat.prompt()
			.user(prompt)
			.tools(this.weather)
			.options(DedalusChatOptions.builder().maxTokens(MAX_COMPLETION_TOKENS))
			.stream()
			.chatResponse();
		String caller = DedalusProxy.caller(http.getUserPrincipal(), http.getRemoteAddr());
		// The most it may cost: the prompt and two model calls (the tool call, then the answer).
		long reserve = prompt.length() / 4 + 2L * MAX_COMPLETION_TOKENS;
		return this.events.toServerSentEvents(
				this.rules.guard(caller, reserve, answer, SpringAiChatController::totalTokens).map(this::chunk));
	}

	private static @Nullable Long totalTokens(ChatResponse response) {
		org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
		return (usage != null && usage.getTotalTokens() != null && usage.getTotalTokens() > 0)
				? Long.valueOf(usage.getTotalTokens()) : null;
	}

	/** A response as the OpenAI chunk the page already reads. */
	private ChatCompletionChunk chunk(ChatResponse response) {
		List<ChatCompletionChunk.Choice> choices = new ArrayList<>();
		for (Generation generation : response.getResults()) {
			String text = generation.getOutput().getText();
			String finish = generation.getMetadata().getFinishReason();
			if ((text != null && !text.isEmpty()) || finish != null) {
				choices.add(new ChatCompletionChunk.Choice(0,
						new ChatCompletionChunk.Delta(null, text, null, List.of()), finish, null));
			}
		}
		org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
		Usage reported = (totalTokens(response) != null)
				? Usage.of(usage.getPromptTokens(), usage.getCompletionTokens(), usage.getTotalTokens()) : null;
		String id = (response.getMetadata().getId() != null) ? response.getMetadata().getId() : "";
		String model = (response.getMetadata().getModel() != null) ? response.getMetadata().getModel() : "";
		return new ChatCompletionChunk(id, "chat.completion.chunk", 0, model, choices, reported, null, null);
	}

	/** The local tool Spring AI runs when the model asks for the weather. */
	static final class WeatherTools {

		@Tool(name = "get_weather", description = "Get the current weather in a city")
		String getWeather(@ToolParam(description = "The city") String city,
				@ToolParam(description = "c or f", required = false) @Nullable String units) {
			String unit = "f".equalsIgnoreCase(units) ? "°F" : "°C";
			int degrees = "f".equalsIgnoreCase(units) ? 54 : 12;
			return "Rain, " + degrees + " " + unit + " in " + city;
		}

	}

}
