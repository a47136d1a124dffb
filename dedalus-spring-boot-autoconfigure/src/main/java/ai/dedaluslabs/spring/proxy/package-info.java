/**
 * The OpenAI-compatible endpoint ({@code dedalus.proxy.*}) through which front ends stream with the
 * official SDKs while the Dedalus key stays on the server.
 */
@NullMarked
package ai.dedaluslabs.spring.proxy;

import org.jspecify.annotations.NullMarked;
