package ai.dedaluslabs.client.runner;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import ai.dedaluslabs.client.json.WireJson;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * Encrypts MCP credentials for an authorization server, byte for byte as the official SDKs do:
 * the credential's values as compact JSON, sealed with AES-256-GCM under a fresh key and 12-byte
 * nonce, the key wrapped with the server's RSA key (OAEP, SHA-256, MGF1 SHA-256), in the envelope
 * {@code 0x01 ‖ wrapped key ‖ nonce ‖ ciphertext and tag}, base64url without padding. The server's
 * key is the first RSA {@code use=enc} key of at least 2048 bits in
 * {@code <authorization server>/.well-known/jwks.json}; it is fetched once and kept for an hour (the
 * official SDK fetches it for every request).
 */
final class CredentialEncryption {

	private static final byte VERSION = 0x01;

	private static final int NONCE_LENGTH = 12;

	private static final int MIN_KEY_BITS = 2048;

	private static final SecureRandom RANDOM = new SecureRandom();

	/** How long a fetched key is used before it is fetched again, so that a rotated key is picked up. */
	private static final Duration KEY_LIFETIME = Duration.ofHours(1);

	private final URI jwks;

	/** The server's key: fetched on first use and kept for an hour; a failed fetch is not kept. */
	private final Mono<PublicKey> key;

	CredentialEncryption(URI authorizationServer) {
		String base = authorizationServer.toString();
		this.jwks = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/.well-known/jwks.json");
		this.key = HttpClient.create()
			.responseTimeout(Duration.ofSeconds(10))
			.get()
			.uri(this.jwks)
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> select(response.status().code(), text)))
			.cache((value) -> KEY_LIFETIME, (error) -> Duration.ZERO, () -> Duration.ZERO);
	}

	/**
	 * The MCP servers with every credential embedded, as the SDKs send them: each server becomes a
	 * spec with its {@code name} and the map from connection name to envelope.
	 */
	Mono<List<Object>> embed(List<?> servers, List<McpCredential> credentials) {
		return this.key.map((publicKey) -> {
			Map<String, String> envelopes = new LinkedHashMap<>();
			for (McpCredential credential : credentials) {
				envelopes.put(credential.connection(), seal(publicKey, credential.values()));
			}
			List<Object> specs = new ArrayList<>(servers.size());
			for (Object server : servers) {
				specs.add(spec(server, envelopes));
			}
			return specs;
		});
	}

	private static Map<String, Object> spec(Object server, Map<String, String> envelopes) {
		Map<String, Object> spec = new LinkedHashMap<>();
		if (server instanceof Map<?, ?> given) {
			given.forEach((name, value) -> spec.put(String.valueOf(name), value));
			Object name = firstOf(given.get("name"), given.get("slug"), given.get("url"));
			spec.put("name", (name != null) ? String.valueOf(name) : "");
		}
		else {
			String text = String.valueOf(server);
			spec.put((text.startsWith("http://") || text.startsWith("https://")) ? "url" : "slug", text);
			spec.put("name", text);
		}
		spec.put("credentials", envelopes);
		return spec;
	}

	private static @Nullable Object firstOf(@Nullable Object... values) {
		for (Object value : values) {
			if (value != null && !String.valueOf(value).isEmpty()) {
				return value;
			}
		}
		return null;
	}

	private PublicKey select(int status, String body) {
		if (status != 200) {
			throw new IllegalStateException(
					"The authorization server's keys could not be read from " + this.jwks + ": status " + status);
		}
		JsonNode keys = WireJson.defaultMapper().readTree(body).path("keys");
		for (JsonNode jwk : keys) {
			if (!"RSA".equals(jwk.path("kty").asString("")) || !"enc".equals(jwk.path("use").asString(""))) {
				continue;
			}
			try {
				BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asString("")));
				BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asString("")));
				if (modulus.bitLength() < MIN_KEY_BITS) {
					continue;
				}
				return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
			}
			catch (GeneralSecurityException | IllegalArgumentException ex) {
				// Not a usable key: try the next one.
			}
		}
		throw new IllegalStateException("No RSA encryption key of at least " + MIN_KEY_BITS + " bits at " + this.jwks);
	}

	/** The envelope of one credential's values. */
	static String seal(PublicKey publicKey, Map<String, Object> values) {
		try {
			byte[] plaintext = WireJson.defaultMapper().writeValueAsString(values).getBytes(StandardCharsets.UTF_8);
			byte[] contentKey = new byte[32];
			RANDOM.nextBytes(contentKey);
			byte[] nonce = new byte[NONCE_LENGTH];
			RANDOM.nextBytes(nonce);
			Cipher wrap = Cipher.getInstance("RSA/ECB/OAEPPadding");
			wrap.init(Cipher.ENCRYPT_MODE, publicKey, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
					PSource.PSpecified.DEFAULT));
			byte[] wrappedKey = wrap.doFinal(contentKey);
			Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
			seal.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new GCMParameterSpec(128, nonce));
			byte[] sealed = seal.doFinal(plaintext);
			byte[] envelope = new byte[1 + wrappedKey.length + nonce.length + sealed.length];
			envelope[0] = VERSION;
			System.arraycopy(wrappedKey, 0, envelope, 1, wrappedKey.length);
			System.arraycopy(nonce, 0, envelope, 1 + wrappedKey.length, nonce.length);
			System.arraycopy(sealed, 0, envelope, 1 + wrappedKey.length + nonce.length, sealed.length);
			return Base64.getUrlEncoder().withoutPadding().encodeToString(envelope);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Credentials could not be encrypted: " + ex.getMessage(), ex);
		}
	}


}
