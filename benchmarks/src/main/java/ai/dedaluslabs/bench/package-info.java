/**
 * Benchmarks: the upstream, the contenders, the throughput and concurrency runs, and JMH micro
 * benchmarks of the SSE parser and chunk decoder.
 */
@NullMarked
package ai.dedaluslabs.bench;

import org.jspecify.annotations.NullMarked;
