/**
 * The front-end endpoint's controller for WebFlux; loaded only in reactive web applications.
 */
@NullMarked
package ai.dedaluslabs.spring.proxy.reactive;

import org.jspecify.annotations.NullMarked;
