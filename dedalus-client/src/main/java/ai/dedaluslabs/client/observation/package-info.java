/**
 * Micrometer Observation support: the context of one chat operation and the convention that
 * names its metrics and spans.
 */
@NullMarked
package ai.dedaluslabs.client.observation;

import org.jspecify.annotations.NullMarked;
