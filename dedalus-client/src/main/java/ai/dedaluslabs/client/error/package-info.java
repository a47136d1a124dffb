/**
 * Unchecked exceptions thrown by the Dedalus client, all rooted at {@link ai.dedaluslabs.client.error.DedalusException}.
 */
@NullMarked
package ai.dedaluslabs.client.error;

import org.jspecify.annotations.NullMarked;
