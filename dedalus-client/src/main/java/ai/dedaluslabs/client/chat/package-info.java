/**
 * The chat-completions wire model (requests, responses, stream chunks) and the tools that turn a
 * stream of chunks into a complete answer.
 */
@NullMarked
package ai.dedaluslabs.client.chat;

import org.jspecify.annotations.NullMarked;
