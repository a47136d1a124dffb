/**
 * What both web stacks share when forwarding a stream to a browser: chunks to SSE frames,
 * heartbeats, the time limit, and the one table from a failure to an OpenAI error body and HTTP
 * status. The stack-specific entry points live in {@code .servlet} (Spring MVC) and
 * {@code .reactive} (WebFlux).
 */
@NullMarked
package ai.dedaluslabs.spring.web;

import org.jspecify.annotations.NullMarked;
