package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.error.DedalusException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code dedalus.*} setting that cannot work, found at start-up. Spring Boot's failure analysis
 * turns it into a short description naming the property and the fix.
 *
 * @since 0.1.0
 */
public class DedalusConfigurationException extends DedalusException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the property at fault, such as {@code dedalus.api-key}
	 * @param message what is wrong
	 * @param action how to fix it
	 * @param cause the underlying failure, or {@code null}
	 */
	public DedalusConfigurationException(String property, String message, String action, @Nullable Throwable cause) {
		super(message, cause);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property at fault.
	 * @return the property name
	 */
	public String property() {
		return this.property;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
