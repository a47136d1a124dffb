/**
 * Forwarding chunks to a browser through a Spring MVC {@code SseEmitter}; loaded only in servlet
 * applications with Spring MVC, and never touching WebFlux.
 */
@NullMarked
package ai.dedaluslabs.spring.web.servlet;

import org.jspecify.annotations.NullMarked;
