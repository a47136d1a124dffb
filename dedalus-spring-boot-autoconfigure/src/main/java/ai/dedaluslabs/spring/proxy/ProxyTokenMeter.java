package ai.dedaluslabs.spring.proxy;

/**
 * Where the endpoint reports the tokens each request cost, once it ends. The auto-configuration
 * records them as the counter {@code dedalus.proxy.tokens} when Micrometer is present; the tags
 * carry no caller, so the number of series stays bounded.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ProxyTokenMeter {

	/** A meter that records nothing. */
	ProxyTokenMeter NONE = (outcome, estimated, tokens) -> {
	};

	/**
	 * Report what one request cost.
	 * @param outcome how it ended: {@code completed}, {@code cancelled} or {@code failed}
	 * @param estimated {@code false} when the API reported the usage, {@code true} when it ended
	 * without usage and was charged an estimate
	 * @param tokens the tokens charged
	 */
	void spent(String outcome, boolean estimated, long tokens);

}
