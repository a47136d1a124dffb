/**
 * Implementation of the Dedalus client: SSE decoding, JSON mapping, transport. Not API: anything
 * here may change in any release.
 */
@NullMarked
package ai.dedaluslabs.client.internal;

import org.jspecify.annotations.NullMarked;
