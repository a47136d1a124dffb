/**
 * Agents in Java: {@link ai.dedaluslabs.client.runner.DedalusRunner} runs the loop of calling the
 * model, running the local tools it asks for and sending their results back, streamed as
 * {@link ai.dedaluslabs.client.runner.RunEvent}s, while MCP servers run on Dedalus's side.
 */
@NullMarked
package ai.dedaluslabs.client.runner;

import org.jspecify.annotations.NullMarked;
