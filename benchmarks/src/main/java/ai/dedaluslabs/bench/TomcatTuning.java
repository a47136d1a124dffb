package ai.dedaluslabs.bench;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Tomcat's per-connection socket buffers, sized for the concurrency benchmark's Tomcat modes when
 * {@code -Dbench.tomcat.socket.buffers=N} is given (bytes, for both the read and the write buffer;
 * Tomcat's default is 8192 each, and Spring Boot has no property for them). Each open connection keeps
 * both for as long as it is open, and Tomcat's request header buffer is the read buffer's size larger
 * again; {@code docs/spring-mvc-at-scale.md} says what they save.
 */
class TomcatTuning implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		String size = System.getProperty("bench.tomcat.socket.buffers");
		if (size != null) {
			factory.addConnectorCustomizers((connector) -> {
				connector.setProperty("socket.appReadBufSize", size);
				connector.setProperty("socket.appWriteBufSize", size);
			});
		}
	}

}
