package ai.dedaluslabs.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.runner.DedalusRunner;
import ai.dedaluslabs.client.runner.RunEvent;
import ai.dedaluslabs.client.runner.RunFinishReason;
import ai.dedaluslabs.client.runner.RunRequest;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import jakarta.servlet.http.HttpServletRequest;
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
 * The page's agent mode: {@link DedalusRunner} (the bean, which offers the application's
 * {@code @DedalusTool} methods, here {@link LocalWeather}) runs the loop; the page sees the text as
 * it streams and each tool call once its arguments are whole, in the OpenAI chunk shape the other
 * modes use. The caller's place and token budget hold here too ({@link DedalusProxy#guard}).
 */
@RestController
class AgentChatController {

	private static final int MAX_PROMPT_LENGTH = 4000;

	private static final int MAX_STEPS = 4;

	private final DedalusRunner runner;

	private final DedalusServerSentEventForwarder events;

	private final DedalusProxy rules;

	AgentChatController(DedalusRunner runner, DedalusServerSentEventForwarder events, DedalusProxy rules) {
		this.runner = runner;
		this.events = events;
		this.rules = rules;
	}

	@GetMapping("/api/chat/agent")
	ResponseEntity<Flux<ServerSentEvent<String>>> agent(@RequestParam String prompt, HttpServletRequest http) {
		if (!StringUtils.hasText(prompt) || prompt.length() > MAX_PROMPT_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"prompt must have between 1 and " + MAX_PROMPT_LENGTH + " characters");
		}
		Flux<RunEvent> run = this.runner.stream(RunRequest.builder()
			.instructions("You are Stephen Dedalus. Respond in morose Joycean malaise.")
			.input(prompt)
			.maxSteps(MAX_STEPS)
			.toolTimeout(Duration.ofSeconds(10))
			.extraBody("max_completion_tokens", 1024)
			.build());
		String caller = DedalusProxy.caller(http.getUserPrincipal(), http.getRemoteAddr());
		long reserve = prompt.length() / 4 + MAX_STEPS * 1024L;
		AtomicInteger calls = new AtomicInteger();
		Flux<ChatCompletionChunk> chunks = this.rules.guard(caller, reserve, run,
				(event) -> (event instanceof RunEvent.RunCompleted done) ? (long) done.result().usage().totalTokens() : null)
			.concatMapIterable((event) -> chunks(event, calls));
		return this.events.toServerSentEvents(chunks);
	}

	private static List<ChatCompletionChunk> chunks(RunEvent event, AtomicInteger calls) {
		if (event instanceof RunEvent.TextDelta text) {
			return List.of(chunk(new ChatCompletionChunk.Delta(null, text.text(), null, List.of()), null, null));
		}
		if (event instanceof RunEvent.ToolCallReady call) {
			ChatCompletionChunk.ToolCallDelta piece = new ChatCompletionChunk.ToolCallDelta(calls.getAndIncrement(),
					call.id(), "function", new ChatCompletionChunk.FunctionDelta(call.name(), call.arguments()));
			return List.of(chunk(new ChatCompletionChunk.Delta(null, null, null, List.of(piece)), null, null));
		}
		if (event instanceof RunEvent.RunCompleted done) {
			String finish = (done.result().finishReason() == RunFinishReason.STOP) ? "stop" : "length";
			return List.of(chunk(ChatCompletionChunk.Delta.EMPTY, finish, null),
					new ChatCompletionChunk("agent", "chat.completion.chunk", 0, "", List.of(), done.result().usage(), null,
							null));
		}
		return List.of();
	}

	private static ChatCompletionChunk chunk(ChatCompletionChunk.Delta delta, String finishReason, Usage usage) {
		return new ChatCompletionChunk("agent", "chat.completion.chunk", 0, "",
				List.of(new ChatCompletionChunk.Choice(0, delta, finishReason, null)), usage, null, null);
	}

}
