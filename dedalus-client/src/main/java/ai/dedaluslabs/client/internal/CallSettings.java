package ai.dedaluslabs.client.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The retry count and time limits in force for one call: the client's, overridden by the call's
 * own options.
 *
 * @param maxRetries retries until response headers arrive
 * @param response the limit until response headers arrive
 * @param idle the longest silence between two pieces of a body
 * @param total the whole-operation limit, or {@code null} for none
 */
public record CallSettings(int maxRetries, Duration response, Duration idle, @Nullable Duration total) {
}
