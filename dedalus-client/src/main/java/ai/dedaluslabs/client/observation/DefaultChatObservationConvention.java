package ai.dedaluslabs.client.observation;

import io.micrometer.common.KeyValues;

/**
 * The OpenTelemetry GenAI names: observation {@code gen_ai.client.operation}, span
 * {@code chat <model>}, and the low-cardinality keys {@code gen_ai.operation.name},
 * {@code gen_ai.provider.name}, {@code gen_ai.request.model}, {@code gen_ai.response.model}
 * ({@code unknown} when no response named one) and {@code error.type} ({@code none}, the
 * exception's simple name, or {@code cancelled}). Every key is always present, so Prometheus
 * sees the same label set on every sample.
 *
 * @since 0.1.0
 */
public class DefaultChatObservationConvention implements ChatObservationConvention {

	/** The observation's name. */
	public static final String NAME = "gen_ai.client.operation";

	/** A shared instance. */
	public static final DefaultChatObservationConvention INSTANCE = new DefaultChatObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ChatObservationContext context) {
		return "chat " + context.requestModel();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ChatObservationContext context) {
		String responseModel = context.responseModel();
		return KeyValues.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "dedalus", "gen_ai.request.model",
				context.requestModel(), "gen_ai.response.model", (responseModel != null) ? responseModel : "unknown",
				"error.type", errorType(context));
	}

	/**
	 * The {@code error.type} value of an operation.
	 * @param context the operation
	 * @return {@code none}, {@code cancelled}, or the error's simple class name
	 */
	protected String errorType(ChatObservationContext context) {
		if (context.outcome() == ChatObservationContext.Outcome.CANCELLED) {
			return "cancelled";
		}
		Throwable error = context.getError();
		return (error != null) ? error.getClass().getSimpleName() : "none";
	}

}
