package ai.dedaluslabs.client.runner;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.DedalusMockServer;
import ai.dedaluslabs.test.RecordedChatRequest;
import ai.dedaluslabs.test.StreamScript;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP credentials encrypted for an authorization server in the official SDKs' envelope, checked by
 * decrypting them with the private key the test holds.
 */
@Timeout(30)
class CredentialEncryptionTests {

	private DedalusMockServer dedalus;

	private MockWebServer authorizationServer;

	private KeyPair keys;

	private DedalusClient client;

	@BeforeEach
	void start() throws Exception {
		this.dedalus = DedalusMockServer.start();
		this.client = DedalusClient.builder()
			.apiKey(DedalusMockServer.TEST_API_KEY)
			.baseUrl(this.dedalus.baseUrl())
			.maxRetries(0)
			.build();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		this.keys = generator.generateKeyPair();
		this.authorizationServer = new MockWebServer();
		this.authorizationServer.start();
	}

	@AfterEach
	void stop() throws Exception {
		this.dedalus.close();
		this.authorizationServer.close();
	}

	private String jwks() {
		RSAPublicKey key = (RSAPublicKey) this.keys.getPublic();
		Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
		String small = url.encodeToString(BigInteger.valueOf(65537).multiply(BigInteger.TWO.pow(1000)).toByteArray());
		return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"signing\",\"n\":\"" + url.encodeToString(key.getModulus().toByteArray())
				+ "\",\"e\":\"AQAB\"},{\"kty\":\"RSA\",\"use\":\"enc\",\"kid\":\"too-small\",\"n\":\"" + small
				+ "\",\"e\":\"AQAB\"},{\"kty\":\"RSA\",\"use\":\"enc\",\"kid\":\"enc-1\",\"n\":\""
				+ url.encodeToString(key.getModulus().toByteArray()) + "\",\"e\":\""
				+ url.encodeToString(key.getPublicExponent().toByteArray()) + "\"}]}";
	}

	private String open(String envelope) throws Exception {
		byte[] bytes = Base64.getUrlDecoder().decode(envelope);
		assertThat(bytes[0]).as("envelope version").isEqualTo((byte) 1);
		ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
		byte[] wrapped = new byte[256];
		buffer.get(wrapped);
		byte[] nonce = new byte[12];
		buffer.get(nonce);
		byte[] sealed = Arrays.copyOfRange(bytes, 1 + 256 + 12, bytes.length);
		Cipher unwrap = Cipher.getInstance("RSA/ECB/OAEPPadding");
		unwrap.init(Cipher.DECRYPT_MODE, this.keys.getPrivate(),
				new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
		byte[] contentKey = unwrap.doFinal(wrapped);
		Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
		open.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new GCMParameterSpec(128, nonce));
		return new String(open.doFinal(sealed), StandardCharsets.UTF_8);
	}

	@Test
	void credentialsAreSealedIntoEveryServerSpecAndTheKeyIsFetchedOnce() throws Exception {
		this.authorizationServer.enqueue(new MockResponse.Builder().body(jwks()).build());
		DedalusRunner runner = DedalusRunner.create(this.client)
			.withAuthorizationServer(this.authorizationServer.url("/as/").uri());
		for (int run = 0; run < 2; run++) {
			this.dedalus.enqueue(StreamScript.create().text("ok"));
			runner.run(RunRequest.builder()
				.input("Open issues?")
				.mcpServers("dedalus-labs/github", "https://mcp.example.org/sse")
				.credentials(new McpCredential("github", Map.of("token", "ghp_live_secret")))
				.build()).block(Duration.ofSeconds(10));
			RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
			JsonNode servers = sent.json().get("mcp_servers");
			assertThat(sent.json().has("credentials")).as("nothing sent apart").isFalse();
			assertThat(sent.body()).doesNotContain("ghp_live_secret");
			assertThat(servers.get(0).get("slug").asString()).isEqualTo("dedalus-labs/github");
			assertThat(servers.get(0).get("name").asString()).isEqualTo("dedalus-labs/github");
			assertThat(servers.get(1).get("url").asString()).isEqualTo("https://mcp.example.org/sse");
			for (JsonNode server : servers) {
				assertThat(open(server.at("/credentials/github").asString())).isEqualTo("{\"token\":\"ghp_live_secret\"}");
			}
		}
		assertThat(this.authorizationServer.getRequestCount()).as("the key is fetched once").isEqualTo(1);
		assertThat(this.authorizationServer.takeRequest().getTarget()).isEqualTo("/as/.well-known/jwks.json");
	}

	@Test
	void withoutAnAuthorizationServerCredentialsAreSentAsGivenAndNeverShown() {
		this.dedalus.enqueue(StreamScript.create().text("ok"));
		McpCredential credential = new McpCredential("github", Map.of("token", "ghp_live_secret"));
		DedalusRunner.create(this.client)
			.run(RunRequest.builder().input("Hi").mcpServers("dedalus-labs/github").credentials(credential).build())
			.block(Duration.ofSeconds(10));
		RecordedChatRequest sent = this.dedalus.takeRequest(Duration.ofSeconds(5));
		assertThat(sent.json().at("/credentials/github/token").asString()).isEqualTo("ghp_live_secret");
		assertThat(credential.toString()).doesNotContain("ghp_live_secret").contains("token");
	}

}
