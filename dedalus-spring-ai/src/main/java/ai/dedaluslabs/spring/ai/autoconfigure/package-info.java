/**
 * Auto-configuration of {@link ai.dedaluslabs.spring.ai.DedalusChatModel}.
 */
@NullMarked
package ai.dedaluslabs.spring.ai.autoconfigure;

import org.jspecify.annotations.NullMarked;
