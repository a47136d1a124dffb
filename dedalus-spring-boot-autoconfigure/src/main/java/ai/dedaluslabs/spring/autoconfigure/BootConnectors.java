package ai.dedaluslabs.spring.autoconfigure;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.netty.http.client.HttpClient;

/**
 * Makes the client's connector with Spring Boot's {@link ClientHttpConnectorBuilder}, so an SSL
 * bundle applies the way it does to every Boot HTTP client. Only loaded when
 * {@code spring-boot-http-client} is present.
 */
final class BootConnectors {

	private BootConnectors() {
	}

	static Function<HttpClient, ClientHttpConnector> factory(@Nullable SslBundle sslBundle) {
		HttpClientSettings settings = (sslBundle != null) ? HttpClientSettings.ofSslBundle(sslBundle)
				: HttpClientSettings.defaults();
		return (httpClient) -> ClientHttpConnectorBuilder.reactor()
			.withHttpClientFactory(() -> httpClient)
			// Boot's defaults ask for gzip; the client asks for responses as they are, as it does
			// without Boot: a compressing upstream or proxy holds tokens back in its compressor, and
			// every network buffer of a stream would pass through a decompressor.
			.withHttpClientCustomizer((client) -> client.compress(false))
			.build(settings);
	}

}
