package ai.dedaluslabs.spring.autoconfigure;

import ai.dedaluslabs.client.DedalusClient;

/**
 * Customizes the auto-configured {@link DedalusClient} before it is built. Beans of this type are
 * applied in {@link org.springframework.core.annotation.Order} after the properties, so they win.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DedalusClientCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder, already holding the {@code dedalus.*} settings
	 */
	void customize(DedalusClient.Builder builder);

}
