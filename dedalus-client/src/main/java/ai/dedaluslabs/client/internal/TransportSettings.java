package ai.dedaluslabs.client.internal;

import java.net.URI;
import java.time.Duration;

/**
 * What the transport needs of the client's settings, so that it depends on nothing of the public
 * package.
 *
 * @param baseUrl the API's base URL, for error messages
 * @param maxEventSize the largest event or body accepted, in bytes
 * @param connectTimeout the connect limit, for error messages
 * @param secrets what to mask in everything the upstream sends
 */
public record TransportSettings(URI baseUrl, int maxEventSize, Duration connectTimeout, Secrets secrets) {
}
