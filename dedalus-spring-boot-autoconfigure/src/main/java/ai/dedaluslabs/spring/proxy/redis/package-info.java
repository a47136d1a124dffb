/**
 * The endpoint's per-caller limits and budgets in Redis, shared by every instance.
 */
@NullMarked
package ai.dedaluslabs.spring.proxy.redis;

import org.jspecify.annotations.NullMarked;
