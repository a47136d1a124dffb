/**
 * Formatting shared by the client's public settings types and its internals, kept apart so that
 * neither package depends on the other for it. Not API.
 */
@NullMarked
package ai.dedaluslabs.client.internal.format;

import org.jspecify.annotations.NullMarked;
