/**
 * Spring Boot auto-configuration of the Dedalus client: properties, the client bean, metrics,
 * health, secret masking and start-up failure analysis.
 */
@NullMarked
package ai.dedaluslabs.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
