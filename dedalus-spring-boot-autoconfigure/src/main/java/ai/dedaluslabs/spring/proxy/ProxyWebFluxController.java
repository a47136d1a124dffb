package ai.dedaluslabs.spring.proxy;

import java.net.InetSocketAddress;
import java.security.Principal;

import ai.dedaluslabs.client.internal.Buffers;
import ai.dedaluslabs.spring.web.DedalusSseForwarder;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The endpoint on WebFlux: the body is read with the size limit, and the answer is a JSON
 * {@link ResponseEntity} or the relayed stream once the upstream status is known.
 */
@RestController
@RequestMapping("${dedalus.proxy.path:/dedalus}/v1")
class ProxyWebFluxController {

	private final DedalusProxy proxy;

	private final DedalusSseForwarder forwarder;

	ProxyWebFluxController(DedalusProxy proxy, DedalusSseForwarder forwarder) {
		this.proxy = proxy;
		this.forwarder = forwarder;
	}

	@PostMapping("/chat/completions")
	Mono<ResponseEntity<?>> completions(ServerWebExchange exchange) {
		long limit = this.proxy.maxRequestSize();
		if (exchange.getRequest().getHeaders().getContentLength() > limit) {
			return Mono.just(response(this.proxy.tooLarge()));
		}
		Mono<byte[]> body = Buffers.join(exchange.getRequest().getBody(), (int) Math.min(limit, Integer.MAX_VALUE - 8));
		Mono<String> caller = exchange.getPrincipal()
			.map((Principal principal) -> "principal:" + principal.getName())
			.defaultIfEmpty("address:" + remoteAddress(exchange));
		return Mono.zip(body, caller)
			.flatMap((request) -> this.proxy.completions(request.getT1(), request.getT2()))
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(this.proxy.tooLarge()))
			.map(this::response);
	}

	@GetMapping("/models")
	Mono<ResponseEntity<?>> models() {
		return this.proxy.models().map(this::response);
	}

	private ResponseEntity<?> response(ProxyResult answer) {
		if (answer instanceof ProxyResult.Stream stream) {
			return this.forwarder.toServerSentEventsRaw(stream.chunks());
		}
		ProxyResult.Json json = (ProxyResult.Json) answer;
		return ResponseEntity.status(json.status()).contentType(MediaType.APPLICATION_JSON).body(json.body());
	}

	private static String remoteAddress(ServerWebExchange exchange) {
		InetSocketAddress address = exchange.getRequest().getRemoteAddress();
		return (address != null && address.getAddress() != null) ? address.getAddress().getHostAddress() : "unknown";
	}

}
