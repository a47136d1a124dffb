package ai.dedaluslabs.spring.proxy.servlet;

import java.io.IOException;

import ai.dedaluslabs.spring.proxy.DedalusProxy;
import ai.dedaluslabs.spring.proxy.ProxyResult;
import ai.dedaluslabs.spring.web.servlet.DedalusSseEmitterForwarder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * The endpoint on Spring MVC. The answer is decided asynchronously, once the upstream status is
 * known: a JSON {@link ResponseEntity}, or the stream, written straight into the same async request
 * ({@link DedalusSseEmitterForwarder#writeRawTo}) so that it does not wait for a second dispatch,
 * and a free request thread, while the model's chunks arrive. No request thread waits for the
 * model. Registered by the auto-configuration; not meant to be created by hand.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping("${dedalus.proxy.path:/dedalus}/v1")
public class ProxyMvcController {

	private final DedalusProxy proxy;

	private final DedalusSseEmitterForwarder forwarder;

	/**
	 * Create the controller.
	 * @param proxy the endpoint's logic
	 * @param forwarder writes a relayed stream
	 */
	public ProxyMvcController(DedalusProxy proxy, DedalusSseEmitterForwarder forwarder) {
		this.proxy = proxy;
		this.forwarder = forwarder;
	}

	@PostMapping("/chat/completions")
	DeferredResult<Object> completions(HttpServletRequest request, HttpServletResponse response) {
		DeferredResult<Object> result = new DeferredResult<>(0L);
		if (!DedalusProxy.isJson(request.getContentType())) {
			result.setResult(response(this.proxy.unsupportedMediaType()));
			return result;
		}
		long limit = this.proxy.maxRequestSize();
		if (request.getContentLengthLong() > limit) {
			result.setResult(response(this.proxy.tooLarge()));
			return result;
		}
		String caller = DedalusProxy.caller(request.getUserPrincipal(), request.getRemoteAddr());
		ServletBodyReader body = new ServletBodyReader(limit);
		// The body is read once async processing has started, so no thread waits for a slow caller.
		WebAsyncUtils.getAsyncManager(request)
			.registerDeferredResultInterceptor(ServletBodyReader.class.getName(),
					new DeferredResultProcessingInterceptor() {
						@Override
						public <T> void preProcess(NativeWebRequest webRequest, DeferredResult<T> deferred)
								throws IOException {
							body.start(request);
						}
					});
		answer(result, this.proxy.completions(body.body(), caller), request, response);
		return result;
	}


	@GetMapping("/models")
	DeferredResult<Object> models() {
		DeferredResult<Object> result = new DeferredResult<>(0L);
		answer(result, this.proxy.models(), null, null);
		return result;
	}

	/**
	 * Complete the deferred result with the answer, or write a stream into the request directly; if
	 * the request ended first (an async error or timeout, such as a caller the container saw leave),
	 * the pending answer or the stream being written is cancelled, and a stream that started
	 * meanwhile is cancelled upstream instead of left unread.
	 */
	private void answer(DeferredResult<Object> result, Mono<ProxyResult> answer, @Nullable HttpServletRequest request,
			@Nullable HttpServletResponse response) {
		Disposable.Swap writing = Disposables.swap();
		Disposable pending = answer.subscribe((value) -> {
			if (value instanceof ProxyResult.Stream stream && request != null && response != null) {
				writeStream(stream, request, response, result, writing);
			}
			else if (result.isSetOrExpired() || !result.setResult(response(value))) {
				discard(value);
			}
		}, result::setErrorResult);
		Runnable stop = () -> {
			pending.dispose();
			writing.dispose();
		};
		result.onError((error) -> stop.run());
		result.onTimeout(stop);
	}

	private void writeStream(ProxyResult.Stream stream, HttpServletRequest request, HttpServletResponse response,
			DeferredResult<Object> result, Disposable.Swap writing) {
		if (writing.isDisposed() || result.isSetOrExpired()) {
			discard(stream);
			return;
		}
		try {
			// Disposed at once if the request ended meanwhile.
			writing.replace(this.forwarder.writeRawTo(stream.chunks(), request, response));
		}
		catch (IOException | IllegalStateException ex) {
			// The request is no longer writable (the caller left as the answer arrived).
			discard(stream);
			result.setErrorResult(ex);
		}
	}

	private static void discard(ProxyResult answer) {
		if (answer instanceof ProxyResult.Stream stream) {
			stream.chunks().subscribe().dispose();
		}
	}

	private Object response(ProxyResult answer) {
		if (answer instanceof ProxyResult.Stream stream) {
			return this.forwarder.toSseEmitterRaw(stream.chunks());
		}
		return ((ProxyResult.Json) answer).toResponseEntity();
	}

}
