/**
 * The Dedalus chat-completions client: {@link ai.dedaluslabs.client.DedalusClient} and its entry points.
 */
@NullMarked
package ai.dedaluslabs.client;

import org.jspecify.annotations.NullMarked;
