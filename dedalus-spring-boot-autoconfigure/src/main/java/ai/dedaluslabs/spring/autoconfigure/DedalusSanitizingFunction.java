package ai.dedaluslabs.spring.autoconfigure;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the Dedalus secrets in {@code /actuator/env} and {@code /actuator/configprops}, even when
 * values are shown: by name ({@code dedalus.api-key}, {@code dedalus.provider-key},
 * {@code dedalus.headers.*}, {@code DEDALUS_API_KEY}, {@code DEDALUS_PROVIDER_KEY}, and their
 * bound forms such as {@code apiKey}) and by value, so a key that also appears under another name
 * (a command line such as {@code sun.java.command}, a differently named variable) is masked too.
 *
 * @since 0.1.0
 */
public class DedalusSanitizingFunction implements SanitizingFunction {

	/** Shortest value treated as a secret when matching by value, so trivial values never mask. */
	private static final int MIN_SECRET_LENGTH = 6;

	private final Supplier<Set<String>> secrets;

	/**
	 * Create a function.
	 * @param secrets the secret values in force (API key, provider key, header values)
	 */
	public DedalusSanitizingFunction(Supplier<Set<String>> secrets) {
		this.secrets = secrets;
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		if (isSecretName(data.getKey()) || containsSecret(String.valueOf(data.getValue()))) {
			return data.withSanitizedValue();
		}
		return data;
	}

	static boolean isSecretName(String key) {
		String name = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ".");
		return name.equals("dedalus.apikey") || name.equals("dedalus.providerkey") || name.startsWith("dedalus.headers.")
				|| name.equals("dedalus.api.key") || name.equals("dedalus.provider.key") || name.equals("apikey")
				|| name.equals("providerkey") || name.startsWith("headers.") || name.startsWith("dedalus.headers[");
	}

	private boolean containsSecret(String value) {
		for (String secret : this.secrets.get()) {
			if (secret.length() >= MIN_SECRET_LENGTH && value.contains(secret)) {
				return true;
			}
		}
		return false;
	}

}
