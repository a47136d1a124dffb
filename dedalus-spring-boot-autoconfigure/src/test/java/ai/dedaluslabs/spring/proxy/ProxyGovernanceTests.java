package ai.dedaluslabs.spring.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An owner who allows more than the defaults: MCP servers from a list, a model's settings, and
 * more choices; everything else stays refused.
 */
@SpringBootTest(classes = ProxyApplications.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.proxy.enabled=true", "dedalus.max-retries=0",
				"dedalus.proxy.allowed-fields=mcp_servers,model.settings", "dedalus.proxy.allowed-mcp-servers=dedalus-labs/*",
				"dedalus.proxy.max-choices=2" })
@AutoConfigureDedalusMock
@Timeout(60)
class ProxyGovernanceTests {

	@Autowired
	private DedalusMockServer dedalus;

	@LocalServerPort
	private int port;

	private HttpResponse<String> post(String extra) throws Exception {
		String body = "{\"model\":\"openai/gpt-5-nano\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + extra + "}";
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/dedalus/v1/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void allowedMcpServersAndChoicesPass() throws Exception {
		this.dedalus.enqueue(StreamScript.create().text("Searching"));
		HttpResponse<String> answer = post(",\"n\":2,\"mcp_servers\":[\"dedalus-labs/brave-search\"]");
		assertThat(answer.statusCode()).isEqualTo(200);
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.request().mcpServers()).containsExactly("dedalus-labs/brave-search");
		assertThat(sent.request().n()).isEqualTo(2);
	}

	@Test
	void mcpServersOutsideTheListAreRefused() throws Exception {
		int before = this.dedalus.requestCount();
		HttpResponse<String> refused = post(",\"mcp_servers\":[\"dedalus-labs/brave-search\",{\"url\":\"http://169.254.169.254/\"}]");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"code\":\"mcp_server_not_allowed\"").contains("\"param\":\"mcp_servers\"");
		assertThat(this.dedalus.requestCount()).isEqualTo(before);
	}

	@Test
	void fieldsTheOwnerDidNotNameStayRefused() throws Exception {
		HttpResponse<String> refused = post(",\"mcp_servers\":[\"dedalus-labs/brave-search\"],\"credentials\":{\"k\":\"v\"}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"param\":\"credentials\"");
		assertThat(post(",\"n\":3").statusCode()).isEqualTo(400);
	}

}
