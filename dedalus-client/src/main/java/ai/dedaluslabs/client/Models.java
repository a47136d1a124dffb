package ai.dedaluslabs.client;

import java.util.List;

import ai.dedaluslabs.client.internal.ApiTransport;
import ai.dedaluslabs.client.internal.CallSettings;
import ai.dedaluslabs.client.models.Model;
import ai.dedaluslabs.client.models.ModelList;
import reactor.core.publisher.Mono;

/**
 * The models the API offers: {@code GET /v1/models}.
 *
 * @since 0.1.0
 */
public final class Models {

	private final ApiTransport transport;

	private final DedalusClientOptions options;

	private final CallSettings settings;

	Models(ApiTransport transport, DedalusClientOptions options) {
		this.transport = transport;
		this.options = options;
		this.settings = ChatCompletions.callSettings(options, RequestOptions.defaults());
	}

	/**
	 * List the models, blocking. Do not call it on an event-loop thread; use {@link #listAsync()} there.
	 * @return the models
	 * @throws ai.dedaluslabs.client.error.DedalusException on any failure
	 */
	public List<Model> list() {
		return ChatCompletions.await(listAsync());
	}

	/**
	 * List the models. Nothing is sent until subscription; each subscription is one request.
	 * @return the models
	 */
	public Mono<List<Model>> listAsync() {
		return this.transport.getJson("/v1/models", ModelList.class, this.settings).map(ModelList::data);
	}

	/**
	 * List the models with per-call retries and time limits, for example a quick health check.
	 * @param options overrides of the client's settings
	 * @return the models
	 */
	public Mono<List<Model>> listAsync(RequestOptions options) {
		return this.transport
			.getJson("/v1/models", ModelList.class, ChatCompletions.callSettings(this.options, options))
			.map(ModelList::data);
	}

}
