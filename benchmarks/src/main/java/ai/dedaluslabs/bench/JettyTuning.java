package ai.dedaluslabs.bench;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Jetty as {@code docs/spring-mvc-at-scale.md} sets it up for many open streams, in the concurrency
 * benchmark's Jetty modes (loaded only in their JVM). A listen backlog, as Tomcat's is set with
 * {@code server.tomcat.accept-count}: Jetty asks for none (so the JDK's 50), and 1,000 connections at
 * once would overflow it; Spring Boot has no property for it. No per-connection cache of request
 * header fields, which costs about 100 KiB per open connection ({@code -Dbench.jetty.header.cache=1024}
 * puts Jetty's default back). And an 8 KiB response buffer instead of 32 KiB: Jetty holds one, off
 * the heap, for every open response ({@code -Dbench.jetty.output.buffer=32768} for the default).
 */
class JettyTuning implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		int headerCache = Integer.getInteger("bench.jetty.header.cache", 0);
		int outputBuffer = Integer.getInteger("bench.jetty.output.buffer", 8192);
		factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(4096);
				}
				HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
				if (http != null) {
					http.getHttpConfiguration().setHeaderCacheSize(headerCache);
					http.getHttpConfiguration().setOutputBufferSize(outputBuffer);
				}
			}
		});
	}

}
