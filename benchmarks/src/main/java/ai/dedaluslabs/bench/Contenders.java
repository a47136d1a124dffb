package ai.dedaluslabs.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.client.chat.ChatCompletionAccumulator;
import ai.dedaluslabs.client.chat.ChatCompletionRequest;
import ai.dedaluslabs.client.chat.ChatMessage;
import ai.dedaluslabs.spring.ai.DedalusChatModel;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contenders, by name. Every one counts the content tokens it received.
 */
final class Contenders {

	/** A key as long as a real one, so the client's masking of secrets in upstream bytes is measured. */
	static final String API_KEY = "dsk-bench-7c1f0e9a2b3d4c5e6f708192a3b4c5d6";


	static final List<String> NAMES = List.of("transport", "transport-events", "webclient-sse-jackson", "dedalus-stream",
			"dedalus-accumulator", "openai-java", "spring-ai", "dedalus-spring-ai", "langchain4j");

	private static final String BODY = "{\"model\":\"openai/gpt-5-nano\",\"stream\":true,\"messages\":"
			+ "[{\"role\":\"user\",\"content\":\"Count\"}]}";

	private Contenders() {
	}

	static Contender create(String name, String baseUrl) {
		return switch (name) {
			case "transport" -> transport(baseUrl);
			case "transport-events" -> transportEvents(baseUrl);
			case "webclient-sse-jackson" -> webClientSse(baseUrl);
			case "dedalus-stream" -> dedalus(baseUrl, false);
			case "dedalus-accumulator" -> dedalus(baseUrl, true);
			case "openai-java" -> openAiJava(baseUrl);
			case "spring-ai" -> springAi(baseUrl);
			case "dedalus-spring-ai" -> dedalusSpringAi(baseUrl);
			case "langchain4j" -> langChain4j(baseUrl);
			default -> throw new IllegalArgumentException("unknown contender " + name + "; one of " + NAMES);
		};
	}

	/**
	 * WebClient reading raw buffers and counting their bytes: what the transport alone costs. The
	 * stream's size is known, so the byte count proves every token event arrived.
	 */
	private static Contender transport(String baseUrl) {
		WebClient client = WebClient.create(baseUrl);
		long tokenEventBytes = StreamBytes.TOKEN_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
		return () -> {
			AtomicLong bytes = new AtomicLong();
			client.post()
				.uri("/v1/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(BODY)
				.retrieve()
				.bodyToFlux(DataBuffer.class)
				.doOnNext((buffer) -> {
					bytes.addAndGet(buffer.readableByteCount());
					DataBufferUtils.release(buffer);
				})
				.blockLast(Duration.ofMinutes(5));
			long tokenBytes = bytes.get() - StreamBytes.END_BYTES.length;
			return (tokenBytes % tokenEventBytes == 0) ? tokenBytes / tokenEventBytes : -1;
		};
	}

	/**
	 * WebClient reading raw buffers and finding every event's end (a blank line): the least any SSE
	 * client must do with each byte, so the ceiling for a decoder.
	 */
	private static Contender transportEvents(String baseUrl) {
		WebClient client = WebClient.create(baseUrl);
		return () -> {
			long[] state = new long[2];
			client.post()
				.uri("/v1/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(BODY)
				.retrieve()
				.bodyToFlux(DataBuffer.class)
				.doOnNext((buffer) -> {
					try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
						while (buffers.hasNext()) {
							java.nio.ByteBuffer bytes = buffers.next();
							for (int i = bytes.position(), end = bytes.limit(); i < end; i++) {
								boolean newline = bytes.get(i) == '\n';
								if (newline && state[1] == 1) {
									state[0]++;
								}
								state[1] = newline ? 1 : 0;
							}
						}
					}
					DataBufferUtils.release(buffer);
				})
				.blockLast(Duration.ofMinutes(5));
			return state[0] - 3;
		};
	}

	/** The hand-written baseline: WebClient's own SSE decoding and a Jackson tree per event. */
	private static Contender webClientSse(String baseUrl) {
		WebClient client = WebClient.builder()
			.baseUrl(baseUrl)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build();
		JsonMapper mapper = JsonMapper.builder().build();
		return () -> {
			AtomicLong tokens = new AtomicLong();
			client.post()
				.uri("/v1/chat/completions")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(BODY)
				.retrieve()
				.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
				})
				.takeWhile((event) -> !"[DONE]".equals(event.data()))
				.doOnNext((event) -> {
					JsonNode chunk = mapper.readTree(event.data());
					JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
					if (content.isString()) {
						tokens.incrementAndGet();
					}
				})
				.blockLast(Duration.ofMinutes(5));
			return tokens.get();
		};
	}

	private static Contender dedalus(String baseUrl, boolean accumulate) {
		DedalusClient client = DedalusClient.builder().apiKey(API_KEY).baseUrl(baseUrl).build();
		ChatCompletionRequest request = ChatCompletionRequest.builder().addMessage(ChatMessage.user("Count")).build();
		return new Contender() {
			@Override
			public long consume() {
				AtomicLong tokens = new AtomicLong();
				ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
				client.chat().completions().stream(request).doOnNext((chunk) -> {
					if (accumulate) {
						accumulator.accept(chunk);
					}
					if (!chunk.choices().isEmpty() && chunk.choices().get(0).delta().content() != null) {
						tokens.incrementAndGet();
					}
				}).blockLast(Duration.ofMinutes(5));
				if (accumulate) {
					String content = accumulator.toChatCompletion().content();
					if (content == null || content.length() != StreamBytes.TOKENS * 6) {
						throw new IllegalStateException("accumulated " + ((content != null) ? content.length() : 0));
					}
				}
				return tokens.get();
			}

			@Override
			public void close() {
				client.close();
			}
		};
	}

	private static Contender openAiJava(String baseUrl) {
		OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(API_KEY).build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("openai/gpt-5-nano")
			.addUserMessage("Count")
			.build();
		return new Contender() {
			@Override
			public long consume() {
				AtomicLong tokens = new AtomicLong();
				try (StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk> stream = client.chat()
					.completions()
					.createStreaming(params)) {
					stream.stream().forEach((chunk) -> {
						if (!chunk.choices().isEmpty() && chunk.choices().get(0).delta().content().isPresent()) {
							tokens.incrementAndGet();
						}
					});
				}
				return tokens.get();
			}

			@Override
			public void close() {
				client.close();
			}
		};
	}

	private static Contender springAi(String baseUrl) {
		OpenAiChatModel model = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder().baseUrl(baseUrl + "/v1").apiKey(API_KEY).model("openai/gpt-5-nano").build())
			.build();
		return () -> textResponses(model);
	}

	/** Streams through Spring AI's ChatModel.stream, counting the responses that carry text. */
	private static long textResponses(org.springframework.ai.chat.model.StreamingChatModel model) {
		AtomicLong tokens = new AtomicLong();
		model.stream(new Prompt("Count")).doOnNext((response) -> {
			if (response.getResult() != null && response.getResult().getOutput().getText() != null
					&& !response.getResult().getOutput().getText().isEmpty()) {
				tokens.incrementAndGet();
			}
		}).blockLast(Duration.ofMinutes(5));
		return tokens.get();
	}

	/** Spring AI's ChatModel.stream on DedalusChatModel: the same measure as "spring-ai". */
	private static Contender dedalusSpringAi(String baseUrl) {
		DedalusChatModel model = new DedalusChatModel(DedalusClient.builder().apiKey(API_KEY).baseUrl(baseUrl).build());
		return () -> textResponses(model);
	}

	private static Contender langChain4j(String baseUrl) {
		OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
			.baseUrl(baseUrl + "/v1")
			.apiKey(API_KEY)
			.modelName("openai/gpt-5-nano")
			.build();
		return () -> {
			AtomicLong tokens = new AtomicLong();
			CompletableFuture<Void> done = new CompletableFuture<>();
			model.chat("Count", new StreamingChatResponseHandler() {
				@Override
				public void onPartialResponse(String partialResponse) {
					tokens.incrementAndGet();
				}

				@Override
				public void onCompleteResponse(ChatResponse completeResponse) {
					done.complete(null);
				}

				@Override
				public void onError(Throwable error) {
					done.completeExceptionally(error);
				}
			});
			done.get(5, TimeUnit.MINUTES);
			return tokens.get();
		};
	}



}
