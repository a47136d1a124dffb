package ai.dedaluslabs.spring.proxy.reactive;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.ProxyResult;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The endpoint on WebFlux: the body is read with the size limit, and the answer is a JSON
 * {@link ResponseEntity} or the relayed stream once the upstream status is known. Registered by
 * the auto-configuration; not meant to be created by hand.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("${dedalus.proxy.path:/dedalus}/v1")
public class ProxyWebFluxController {

	private final DedalusProxy proxy;

	private final DedalusServerSentEventForwarder forwarder;

	/**
	 * Create the controller.
	 * @param proxy the endpoint's logic
	 * @param forwarder writes a relayed stream
	 */
	public ProxyWebFluxController(DedalusProxy proxy, DedalusServerSentEventForwarder forwarder) {
		this.proxy = proxy;
		this.forwarder = forwarder;
	}

	// Typed as bytes for both kinds of answer: with a wildcard body, WebFlux would pick its SSE writer
	// for the stream's DataBuffers (text/event-stream accepts any element) instead of writing them.
	@PostMapping("/chat/completions")
	Mono<ResponseEntity<Flux<DataBuffer>>> completions(ServerWebExchange exchange) {
		if (!DedalusProxy.isJson(exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))) {
			return Mono.just(response(this.proxy.unsupportedMediaType()));
		}
		long limit = this.proxy.maxRequestSize();
		if (exchange.getRequest().getHeaders().getContentLength() > limit) {
			return Mono.just(response(this.proxy.tooLarge()));
		}
		Mono<byte[]> body = DataBufferUtils
			.join(exchange.getRequest().getBody(), (int) Math.min(limit, Integer.MAX_VALUE - 8))
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty(new byte[0]);
		Mono<String> caller = exchange.getPrincipal()
			.map((Principal principal) -> DedalusProxy.caller(principal, remoteAddress(exchange)))
			.defaultIfEmpty(DedalusProxy.caller(null, remoteAddress(exchange)));
		return caller.flatMap((who) -> this.proxy.completions(body, who))
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(this.proxy.tooLarge()))
			.takeUntilOther(callerGone(exchange))
			.map(this::response);
	}

	/**
	 * Completes when the caller's connection goes away, so that an answer still waiting for the
	 * upstream is cancelled at once: WebFlux itself does not cancel a handler that has written
	 * nothing yet. Only Reactor Netty exposes its connection; elsewhere the answer waits as before.
	 */
	private static Mono<Void> callerGone(ServerWebExchange exchange) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (nativeRequest instanceof Connection connection) {
			return connection.onTerminate();
		}
		return Mono.never();
	}

	@GetMapping("/models")
	Mono<ResponseEntity<Flux<DataBuffer>>> models() {
		return this.proxy.models().map(this::response);
	}

	private ResponseEntity<Flux<DataBuffer>> response(ProxyResult answer) {
		if (answer instanceof ProxyResult.Stream stream) {
			return this.forwarder.toEventStreamRaw(stream.chunks());
		}
		ResponseEntity<String> json = ((ProxyResult.Json) answer).toResponseEntity();
		byte[] body = (json.getBody() != null) ? json.getBody().getBytes(StandardCharsets.UTF_8) : new byte[0];
		return ResponseEntity.status(json.getStatusCode())
			.headers(json.getHeaders())
			.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
	}


	private static String remoteAddress(ServerWebExchange exchange) {
		InetSocketAddress address = exchange.getRequest().getRemoteAddress();
		if (address == null) {
			return "unknown";
		}
		// An address taken from X-Forwarded-For or Forwarded is unresolved: its host string is the address.
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
