/**
 * Resumable streams: a generation that runs on the server independently of the browser's
 * connection, so that a browser that reconnects with {@code Last-Event-ID} continues the same
 * answer, on any instance when the store is shared.
 */
@NullMarked
package ai.dedaluslabs.spring.web.resume;

import org.jspecify.annotations.NullMarked;
