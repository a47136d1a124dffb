/**
 * Resumable streams in Redis Streams, so that a browser can reconnect to any instance.
 */
@NullMarked
package ai.dedaluslabs.spring.web.resume.redis;

import org.jspecify.annotations.NullMarked;
