/**
 * The JSON mapper of the wire format, public so that code beside the client (relays, test
 * servers) reads and writes exactly what the client does.
 */
@NullMarked
package ai.dedaluslabs.client.json;

import org.jspecify.annotations.NullMarked;
