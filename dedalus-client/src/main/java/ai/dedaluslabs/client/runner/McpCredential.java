package ai.dedaluslabs.client.runner;

import java.util.Map;
import java.util.Objects;

/**
 * The credentials of one connection an MCP server uses (an API key for the service behind it, say).
 * With an authorization server configured ({@link DedalusRunner#withAuthorizationServer}), the values
 * are encrypted on this machine before they leave it; without one they are sent as given. The
 * values never appear in {@link #toString()}.
 *
 * @param connection the connection's name, as the MCP server declares it
 * @param values the credential's values, such as {@code {"api_key": "..."}}
 * @since 0.1.0
 */
public record McpCredential(String connection, Map<String, Object> values) {

	/** Checks the parts and copies the values. */
	public McpCredential {
		Objects.requireNonNull(connection, "connection");
		values = Map.copyOf(values);
	}

	@Override
	public String toString() {
		return "McpCredential[connection=" + this.connection + ", values=" + this.values.keySet() + " (hidden)]";
	}

}
