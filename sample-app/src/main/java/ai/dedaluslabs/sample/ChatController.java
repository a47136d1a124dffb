package ai.dedaluslabs.sample;

import java.util.List;
import java.util.Map;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.client.chat.Tool;
import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import ai.dedaluslabs.spring.web.resume.ResumableStreams;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chat page's endpoints: the same answer streamed through an MVC {@link SseEmitter} or as a
 * {@code Flux} of {@link ServerSentEvent}s. {@code model} is optional (the default model) and any
 * model is accepted.
 */
@RestController
class ChatController {

	private static final int MAX_PROMPT_LENGTH = 4000;

	private static final Tool WEATHER = Tool.function("get_weather", "Get the current weather in a city",
			Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"), "units",
					Map.of("type", "string", "enum", List.of("c", "f"))), "required", List.of("city")));

	private final DedalusClient client;

	private final DedalusSseEmitterForwarder emitters;

	private final DedalusServerSentEventForwarder events;

	private final DedalusProxy rules;

	private final ResumableStreams resumable;

	private final boolean simulated;

	ChatController(DedalusClient client, DedalusSseEmitterForwarder emitters, DedalusServerSentEventForwarder events,
			DedalusProxy rules, ResumableStreams resumable, ObjectProvider<SimulatedDedalus> simulation) {
		this.client = client;
		this.emitters = emitters;
		this.events = events;
		this.rules = rules;
		this.resumable = resumable;
		this.simulated = simulation.getIfAvailable() != null;
	}

	// Both pages run under the rules of the front-end endpoint (dedalus.proxy.*): only the allowed
	// models, the completion limit, and a limit on how many answers one caller streams at once, so
	// that this code is safe to copy. A refusal reaches the page as an event: error with its code.
	// The raw path relays each event's JSON as the API sent it. toSseEmitterRaw writes the API's own
	// bytes with servlet non-blocking I/O: nothing decoded and re-encoded, no thread waiting on the
	// browser. (A WebFlux application would return events.toEventStreamRaw(...), the same bytes.)
	// The Flux endpoint shows the ServerSentEvent<String> form, for code that wants event objects.

	@GetMapping("/api/chat/stream")
	SseEmitter stream(@RequestParam String prompt, @RequestParam(required = false) @Nullable String model,
			HttpServletRequest http) {
		return this.emitters.toSseEmitterRaw(this.rules.streamFor(request(prompt, model), caller(http)));
	}

	@GetMapping("/api/chat/flux")
	ResponseEntity<Flux<ServerSentEvent<String>>> flux(@RequestParam String prompt,
			@RequestParam(required = false) @Nullable String model, HttpServletRequest http) {
		return this.events.toServerSentEventsRaw(this.rules.streamFor(request(prompt, model), caller(http)));
	}

	// The resumable answer runs on the server whether or not the browser is connected: a reload or a
	// dropped connection continues it (Last-Event-ID from EventSource's own reconnect, or the
	// lastEventId parameter of a page that reloaded) without asking the model again. The price: a
	// browser that goes away keeps the model running for dedalus.sse.resume.grace, unless the page
	// stops it with DELETE.

	@GetMapping("/api/chat/resumable")
	ResponseEntity<SseEmitter> resumable(@RequestParam(required = false) @Nullable String prompt,
			@RequestParam(required = false) @Nullable String model,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
			@RequestParam(name = "lastEventId", required = false) @Nullable String reloadedFrom,
			HttpServletRequest http) {
		String resumeFrom = (lastEventId != null) ? lastEventId : reloadedFrom;
		if (resumeFrom == null) {
			// A new answer: checked now, so that a bad prompt is a 400 rather than an error event.
			request(String.valueOf(prompt), model);
		}
		return this.emitters.toSseEmitterResumable(this.resumable.open(resumeFrom, owner(http),
				() -> this.rules.streamFor(request(String.valueOf(prompt), model), caller(http))));
	}

	@DeleteMapping("/api/chat/resumable/{streamId}")
	Mono<ResponseEntity<Void>> stopResumable(@PathVariable String streamId, HttpServletRequest http) {
		return this.resumable.stop(streamId, owner(http))
			.map((found) -> found ? ResponseEntity.noContent().<Void>build() : ResponseEntity.notFound().<Void>build());
	}

	private static @Nullable String owner(HttpServletRequest http) {
		return (http.getUserPrincipal() != null) ? http.getUserPrincipal().getName() : null;
	}

	private static String caller(HttpServletRequest http) {
		return DedalusProxy.caller(http.getUserPrincipal(), http.getRemoteAddr());
	}

	@GetMapping("/api/info")
	Map<String, Object> info() {
		return Map.of("simulated", this.simulated, "model",
				this.simulated ? SimulatedDedalus.MODEL : this.client.options().defaultModel());
	}

	private static ChatCompletionRequest request(String prompt, @Nullable String model) {
		if (!StringUtils.hasText(prompt) || prompt.length() > MAX_PROMPT_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"prompt must have between 1 and " + MAX_PROMPT_LENGTH + " characters");
		}
		return ChatCompletionRequest.builder()
			.model(StringUtils.hasText(model) ? model : null)
			.addMessage(ChatMessage.system("You are Stephen Dedalus. Respond in morose Joycean malaise."))
			.addMessage(ChatMessage.user(prompt))
			.addTool(WEATHER)
			.build();
	}

}
