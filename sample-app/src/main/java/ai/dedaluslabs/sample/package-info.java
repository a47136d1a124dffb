/**
 * The sample chat application: a browser page streamed from the Dedalus API, or from a simulated
 * model when no API key is configured.
 */
@NullMarked
package ai.dedaluslabs.sample;

import org.jspecify.annotations.NullMarked;
