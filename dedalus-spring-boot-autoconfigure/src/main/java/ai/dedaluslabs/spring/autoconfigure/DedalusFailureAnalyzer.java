package ai.dedaluslabs.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link DedalusConfigurationException} at start-up as a description naming the
 * property and an action, instead of a stack trace.
 */
class DedalusFailureAnalyzer extends AbstractFailureAnalyzer<DedalusConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DedalusConfigurationException cause) {
		return new FailureAnalysis("The Dedalus client cannot start: " + cause.getMessage() + " (property "
				+ cause.property() + ").", cause.action(), cause);
	}

}
