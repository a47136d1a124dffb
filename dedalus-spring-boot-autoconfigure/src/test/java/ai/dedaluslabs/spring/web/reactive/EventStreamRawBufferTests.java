package ai.dedaluslabs.spring.web.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.chat.RawChatCompletionChunk;
import ai.dedaluslabs.client.json.WireJson;
import ai.dedaluslabs.spring.web.SseFrames;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw event stream hands Reactor Netty direct buffers it writes as they are: any other kind of
 * buffer is copied into a new one on its way to the connection, once per chunk.
 */
class EventStreamRawBufferTests {

	private static final String JSON = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\u00e9t\u00e9\"}}]}";

	private static final ChatCompletionChunk CHUNK = new ChatCompletionChunk("c", null, 0, "m",
			List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, "\u00e9t\u00e9", null, List.of()),
					null, null)),
			null, null, null);

	private final DedalusServerSentEventForwarder forwarder = new DedalusServerSentEventForwarder(
			new SseFrames(WireJson.defaultMapper(), Duration.ofMinutes(1), null, Schedulers.parallel()));

	@Test
	void eachEventIsANettyBufferThatTheServerWritesWithoutACopy() {
		Flux<DataBuffer> body = this.forwarder.toEventStreamRaw(Flux.just(new RawChatCompletionChunk(JSON, CHUNK)))
			.getBody();
		assertThat(body).isNotNull();
		StepVerifier.create(body).assertNext((buffer) -> {
			assertThat(buffer).isInstanceOf(NettyDataBuffer.class);
			// What Reactor Netty's server writes is the buffer itself, not a copy of it.
			ByteBuf written = NettyDataBufferFactory.toByteBuf(buffer);
			assertThat(written).isSameAs(((NettyDataBuffer) buffer).getNativeBuffer());
			// and the native transport writes a direct buffer from where it lies, without copying it
			assertThat(written.isDirect()).isTrue();
			assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo("data: " + JSON + "\n\n");
			DataBufferUtils.release(buffer);
		}).assertNext((done) -> {
			assertThat(done.toString(StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
			DataBufferUtils.release(done);
		}).verifyComplete();
	}

	@Test
	void aFunctionalEndpointAnswersWithTheSameBytesAndHeaders() {
		RouterFunction<ServerResponse> route = RouterFunctions.route(RequestPredicates.GET("/chat"),
				(request) -> this.forwarder.toServerResponseRaw(Flux.just(new RawChatCompletionChunk(JSON, CHUNK))));
		WebTestClient.bindToRouterFunction(route)
			.build()
			.get()
			.uri("/chat")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.expectHeader()
			.valueEquals("Cache-Control", "no-cache")
			.expectHeader()
			.valueEquals("X-Accel-Buffering", "no")
			.expectBody(byte[].class)
			.value((body) -> assertThat(new String(body, StandardCharsets.UTF_8))
				.isEqualTo("data: " + JSON + "\n\ndata: [DONE]\n\n"));
	}

}
