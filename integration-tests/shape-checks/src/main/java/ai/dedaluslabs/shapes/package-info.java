/**
 * Checks shared by the application-shape tests: a stream forwarded as SSE, the front-end endpoint,
 * over the JDK's HTTP client so that no shape gains a web stack from its tests.
 */
@NullMarked
package ai.dedaluslabs.shapes;

import org.jspecify.annotations.NullMarked;
