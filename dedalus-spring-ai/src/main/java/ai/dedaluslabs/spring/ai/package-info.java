/**
 * Dedalus in Spring AI: {@link ai.dedaluslabs.spring.ai.DedalusChatModel}, a {@code ChatModel} and
 * {@code StreamingChatModel} on the Dedalus client, and its options.
 */
@NullMarked
package ai.dedaluslabs.spring.ai;

import org.jspecify.annotations.NullMarked;
