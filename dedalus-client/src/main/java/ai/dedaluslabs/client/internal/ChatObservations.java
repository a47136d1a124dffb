package ai.dedaluslabs.client.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.ChatCompletionChunk;
import ai.dedaluslabs.client.observation.ChatObservationContext;
import ai.dedaluslabs.client.observation.ChatObservationConvention;
import ai.dedaluslabs.client.observation.DefaultChatObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Wraps each logical operation (all its retries) in one Micrometer {@link Observation}: started on
 * subscription, stopped exactly once on completion, error or cancel (before the signal reaches the
 * subscriber), and put in the Reactor
 * context so the HTTP client's own observation and any tracing span become its children. With the
 * no-op registry nothing is added to the pipeline.
 */
public final class ChatObservations {

	/**
	 * The Reactor context key under which Spring's {@code WebClient} instrumentation and Micrometer's
	 * context propagation find the parent observation (the value of
	 * {@code ObservationThreadLocalAccessor.KEY}, written out to avoid needing the optional
	 * context-propagation library to compile).
	 */
	private static final String OBSERVATION_KEY = "micrometer.observation";

	private final ObservationRegistry registry;

	private final @Nullable ChatObservationConvention convention;

	/**
	 * Create the instrumentation.
	 * @param registry the registry, {@link ObservationRegistry#NOOP} for none
	 * @param convention a custom convention, or {@code null} for the default
	 */
	public ChatObservations(ObservationRegistry registry, @Nullable ChatObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * Observe a stream.
	 * @param <T> the element type
	 * @param requestModel the model the request named
	 * @param stream the stream
	 * @param chunkOf the chunk inside an element
	 * @return the observed stream
	 */
	public <T> Flux<T> stream(String requestModel, Flux<T> stream, Function<T, ChatCompletionChunk> chunkOf) {
		if (this.registry.isNoop()) {
			return stream;
		}
		return Flux.deferContextual((subscriber) -> {
			if (enclosedByAnOperation(subscriber)) {
				return stream;
			}
			ChatObservationContext context = new ChatObservationContext(requestModel, true);
			Observation observation = start(context);
			Stop stop = new Stop(observation, context);
			return stream.doOnNext((element) -> {
				ChatCompletionChunk chunk = chunkOf.apply(element);
				context.firstChunk();
				context.responseModel(chunk.model());
				context.usage(chunk.usage());
			})
				.doOnComplete(() -> stop.once(ChatObservationContext.Outcome.COMPLETED, null))
				.doOnError((error) -> stop.once(ChatObservationContext.Outcome.ERROR, error))
				.doOnCancel(() -> stop.once(ChatObservationContext.Outcome.CANCELLED, null))
				.contextWrite((reactor) -> reactor.put(OBSERVATION_KEY, observation));
		});
	}

	/**
	 * Observe a single completion.
	 * @param <T> the result type
	 * @param requestModel the model the request named
	 * @param completion the result
	 * @param completionOf the completion inside the result
	 * @return the observed result
	 */
	public <T> Mono<T> single(String requestModel, Mono<T> completion, Function<T, ChatCompletion> completionOf) {
		if (this.registry.isNoop()) {
			return completion;
		}
		return Mono.deferContextual((subscriber) -> {
			if (enclosedByAnOperation(subscriber)) {
				return completion;
			}
			ChatObservationContext context = new ChatObservationContext(requestModel, false);
			Observation observation = start(context);
			Stop stop = new Stop(observation, context);
			return completion.doOnSuccess((value) -> {
				if (value != null) {
					ChatCompletion result = completionOf.apply(value);
					context.responseModel(result.model());
					context.usage(result.usage());
				}
				stop.once(ChatObservationContext.Outcome.COMPLETED, null);
			})
				.doOnError((error) -> stop.once(ChatObservationContext.Outcome.ERROR, error))
				.doOnCancel(() -> stop.once(ChatObservationContext.Outcome.CANCELLED, null))
				.contextWrite((reactor) -> reactor.put(OBSERVATION_KEY, observation));
		});
	}

	/**
	 * Whether the caller already observes this operation as a GenAI client operation (Spring AI's
	 * chat model observation, say): then that observation stands for it, and a second one here
	 * would count every call, its duration and its tokens twice.
	 */
	private static boolean enclosedByAnOperation(ContextView reactor) {
		Object parent = reactor.getOrDefault(OBSERVATION_KEY, null);
		return parent instanceof Observation observation && !observation.isNoop()
				&& DefaultChatObservationConvention.NAME.equals(observation.getContext().getName());
	}

	private Observation start(ChatObservationContext context) {
		return Observation.createNotStarted(this.convention, DefaultChatObservationConvention.INSTANCE, () -> context,
				this.registry)
			.start();
	}

	/**
	 * Stops an observation exactly once, before the terminal signal travels downstream, so that a
	 * caller who sees the result also sees its metrics; a cancel after success changes nothing.
	 */
	private static final class Stop {

		private final Observation observation;

		private final ChatObservationContext context;

		private final AtomicBoolean stopped = new AtomicBoolean();

		Stop(Observation observation, ChatObservationContext context) {
			this.observation = observation;
			this.context = context;
		}

		void once(ChatObservationContext.Outcome outcome, @Nullable Throwable error) {
			if (this.stopped.compareAndSet(false, true)) {
				this.context.outcome(outcome);
				if (error != null) {
					this.observation.error(error);
				}
				this.observation.stop();
			}
		}

	}

}
