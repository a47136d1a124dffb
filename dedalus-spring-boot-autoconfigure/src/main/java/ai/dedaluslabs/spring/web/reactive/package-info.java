/**
 * Forwarding chunks to a browser as {@code Flux<ServerSentEvent<String>>}, for WebFlux; loaded
 * only where {@code spring-web}'s reactive types are present, and never touching Spring MVC.
 */
@NullMarked
package ai.dedaluslabs.spring.web.reactive;

import org.jspecify.annotations.NullMarked;
