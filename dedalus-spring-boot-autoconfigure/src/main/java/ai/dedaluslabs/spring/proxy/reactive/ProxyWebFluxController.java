package ai.dedaluslabs.spring.proxy.reactive;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.ProxyResult;
import ai.dedaluslabs.spring.web.reactive.DedalusServerSentEventForwarder;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The endpoint on WebFlux: the body is read with the size limit, and the answer is JSON or the
 * relayed stream once the upstream status is known. Registered by the auto-configuration as a
 * {@link RouterFunction} (which WebFlux consults before annotated controllers); not meant to be
 * created by hand.
 *
 * <p>
 * A functional route rather than an annotated controller because WebFlux builds a new
 * {@code InvocableHandlerMethod} for every request to an annotated method, with its own
 * argument-resolver cache (a {@code ConcurrentHashMap} of 256 entries, about 2 KiB once its first
 * parameter is resolved), and keeps it until the response ends: for a streamed answer that is
 * the whole stream, a sixth of what an open stream holds here.
 *
 * @since 0.1.0
 */
public class ProxyWebFluxController implements RouterFunction<ServerResponse> {

	private final DedalusProxy proxy;

	private final DedalusServerSentEventForwarder forwarder;

	private final RouterFunction<ServerResponse> routes;

	/**
	 * Create the endpoint.
	 * @param proxy the endpoint's logic
	 * @param forwarder writes a relayed stream
	 * @param path the path prefix ({@code dedalus.proxy.path}); the endpoint serves {@code path/v1/...}
	 */
	public ProxyWebFluxController(DedalusProxy proxy, DedalusServerSentEventForwarder forwarder, String path) {
		this.proxy = proxy;
		this.forwarder = forwarder;
		String base = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/v1";
		this.routes = route(base + "/chat/completions", HttpMethod.POST, this::completions)
			.and(route(base + "/models", HttpMethod.GET, (request) -> models()));
	}

	/**
	 * A route that, like an annotated mapping, answers {@code HEAD} like {@code GET} (WebFlux drops
	 * the body) and 405 with {@code Allow} for the path's other methods instead of passing them on
	 * (to a 404).
	 */
	private static RouterFunction<ServerResponse> route(String path, HttpMethod method,
			HandlerFunction<ServerResponse> handler) {
		RequestPredicate methods = RequestPredicates.method(method);
		if (method == HttpMethod.GET) {
			methods = methods.or(RequestPredicates.method(HttpMethod.HEAD));
		}
		HandlerFunction<ServerResponse> notAllowed = (request) -> ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
			.header(HttpHeaders.ALLOW, method.name())
			.build();
		return RouterFunctions
			.route(methods.and(RequestPredicates.path(path)), new Named("Dedalus endpoint " + method + " " + path, handler))
			.andRoute(RequestPredicates.path(path), new Named("Dedalus endpoint " + path + " (405)", notAllowed));
	}

	/**
	 * A handler that names itself: WebFlux puts {@code "Handler " + handler} in a checkpoint on every
	 * request, and a method reference's {@code toString()} builds its long class name and identity
	 * hash again each time; the name also reads better in an error's assembly trace.
	 */
	private record Named(String route,
			HandlerFunction<ServerResponse> handler) implements HandlerFunction<ServerResponse> {

		@Override
		public Mono<ServerResponse> handle(ServerRequest request) {
			return this.handler.handle(request);
		}

		@Override
		public String toString() {
			return this.route;
		}

	}

	@Override
	public Mono<HandlerFunction<ServerResponse>> route(ServerRequest request) {
		return this.routes.route(request);
	}

	@Override
	public void accept(RouterFunctions.Visitor visitor) {
		this.routes.accept(visitor);
	}

	private Mono<ServerResponse> completions(ServerRequest request) {
		ServerWebExchange exchange = request.exchange();
		if (!DedalusProxy.isJson(exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))) {
			return respond(this.proxy.unsupportedMediaType());
		}
		long limit = this.proxy.maxRequestSize();
		if (exchange.getRequest().getHeaders().getContentLength() > limit) {
			return respond(this.proxy.tooLarge());
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
			.defaultIfEmpty(new byte[0])
			// Reactor Netty keeps the request body's subscriber for as long as the exchange lasts,
			// and through it every subscriber downstream of the body: the time limit, the admission
			// and the answer, for the whole of a streamed answer.
			.onTerminateDetach();
		Mono<String> caller = exchange.getPrincipal()
			.map((Principal principal) -> DedalusProxy.caller(principal, remoteAddress(exchange)))
			.defaultIfEmpty(DedalusProxy.caller(null, remoteAddress(exchange)));
		// Detached once the answer is known: WebFlux keeps the handler's Mono until the response
		// ends, and each flatMap keeps its finished source, so every open stream kept the whole
		// assembly that read the body, found the caller and admitted the request (about 1 KiB).
		// A caller that leaves cancels all of it, in whatever phase: Reactor Netty cancels the
		// handler when the connection closes, written to or not (the departure tests show it).
		return caller.flatMap((who) -> this.proxy.completions(body, who))
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(this.proxy.tooLarge()))
			.onTerminateDetach()
			.flatMap(this::respond)
			.onTerminateDetach();
	}

	private Mono<ServerResponse> models() {
		return this.proxy.models().flatMap(this::respond);
	}

	// The bytes go to the response as they are: no encoder is chosen, nothing is re-encoded.
	private Mono<ServerResponse> respond(ProxyResult answer) {
		if (answer instanceof ProxyResult.Stream stream) {
			return this.forwarder.toServerResponseRaw(stream.chunks());
		}
		ResponseEntity<String> json = ((ProxyResult.Json) answer).toResponseEntity();
		byte[] body = (json.getBody() != null) ? json.getBody().getBytes(StandardCharsets.UTF_8) : new byte[0];
		return ServerResponse.status(json.getStatusCode())
			.headers((headers) -> headers.addAll(json.getHeaders()))
			.body(BodyInserters.fromDataBuffers(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body))));
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
