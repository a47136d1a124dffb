package ai.dedaluslabs.client.internal;

import ai.dedaluslabs.client.Timeouts;

/**
 * The retry count and time limits in force for one call: the client's, overridden by the call's
 * own options.
 *
 * @param maxRetries retries until response headers arrive
 * @param timeouts the time limits
 */
public record CallSettings(int maxRetries, Timeouts timeouts) {
}
