package ai.dedaluslabs.client.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import ai.dedaluslabs.client.chat.ChatCompletion;
import ai.dedaluslabs.client.chat.Usage;
import ai.dedaluslabs.client.observation.ChatObservationContext;
import ai.dedaluslabs.client.observation.ChatObservationConvention;
import ai.dedaluslabs.client.observation.DefaultChatObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
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
	 * @param modelOf the model an element names, or {@code null}
	 * @param usageOf the usage an element reports, or {@code null}
	 * @return the observed stream
	 */
	public <T> Flux<T> stream(String requestModel, Flux<T> stream, Function<T, @Nullable String> modelOf,
			Function<T, @Nullable Usage> usageOf) {
		if (this.registry.isNoop()) {
			return stream;
		}
		return Flux.deferContextual((subscriber) -> {
			if (enclosedByAnOperation(subscriber)) {
				return stream;
			}
			ChatObservationContext context = new ChatObservationContext(requestModel, true);
			Observation observation = start(context);
			return new ObservedStream<>(stream, new Stop(observation, context), modelOf, usageOf);
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
	 * A stream under its observation, in one operator rather than four {@code doOn*} and a
	 * {@code contextWrite}: one subscriber per stream instead of five and as many publishers, one
	 * step per chunk instead of five; and, unlike a {@code doOn*} subscriber, it keeps no publisher.
	 * Each chunk's model and usage go to the observation's context; the terminal signal or a cancel
	 * stops the observation before it travels on; the subscriber's context offers the observation
	 * as the parent of the HTTP client's.
	 */
	private static final class ObservedStream<T> extends Flux<T> {

		private final Flux<T> source;

		private final Stop stop;

		private final Function<T, @Nullable String> modelOf;

		private final Function<T, @Nullable Usage> usageOf;

		ObservedStream(Flux<T> source, Stop stop, Function<T, @Nullable String> modelOf,
				Function<T, @Nullable Usage> usageOf) {
			this.source = source;
			this.stop = stop;
			this.modelOf = modelOf;
			this.usageOf = usageOf;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.source.subscribe(new Observer<>(actual, this.stop, this.modelOf, this.usageOf));
		}

	}

	private static final class Observer<T> extends OperatorSubscriber<T, T> {

		private final Context context;

		private final Stop stop;

		private final Function<T, @Nullable String> modelOf;

		private final Function<T, @Nullable Usage> usageOf;

		private boolean done;

		/**
		 * What this operator last told the context, so that a chunk that repeats it (nearly every
		 * one) does not touch the context: with thousands of open streams, each object a chunk
		 * reaches is a likely cache miss.
		 */
		private @Nullable String lastModel;

		private boolean firstSeen;

		Observer(CoreSubscriber<? super T> actual, Stop stop, Function<T, @Nullable String> modelOf,
				Function<T, @Nullable Usage> usageOf) {
			super(actual);
			this.context = actual.currentContext().put(OBSERVATION_KEY, stop.observation);
			this.stop = stop;
			this.modelOf = modelOf;
			this.usageOf = usageOf;
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		public void onNext(T element) {
			if (this.done) {
				Operators.onNextDropped(element, this.context);
				return;
			}
			try {
				if (!this.firstSeen) {
					this.firstSeen = true;
					this.stop.context.firstChunk();
				}
				// The parser hands out the same instance for a repeated model, so identity suffices.
				String model = this.modelOf.apply(element);
				if (model != this.lastModel) {
					this.lastModel = model;
					this.stop.context.responseModel(model);
				}
				Usage usage = this.usageOf.apply(element);
				if (usage != null) {
					this.stop.context.usage(usage);
				}
			}
			catch (Throwable failure) {
				Exceptions.throwIfFatal(failure);
				cancelUpstream();
				onError(failure);
				return;
			}
			this.actual.onNext(element);
		}

		@Override
		public void onError(Throwable error) {
			if (this.done) {
				Operators.onErrorDropped(error, this.context);
				return;
			}
			this.done = true;
			this.stop.once(ChatObservationContext.Outcome.ERROR, error);
			this.actual.onError(error);
		}

		@Override
		public void onComplete() {
			if (!this.done) {
				this.done = true;
				this.stop.once(ChatObservationContext.Outcome.COMPLETED, null);
				this.actual.onComplete();
			}
		}

		@Override
		public void cancel() {
			this.stop.once(ChatObservationContext.Outcome.CANCELLED, null);
			cancelUpstream();
		}

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
