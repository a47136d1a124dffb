package ai.dedaluslabs.client;

/**
 * The client's version, sent in the {@code User-Agent} header.
 */
final class Version {

	static final String VALUE;

	static {
		String implementation = Version.class.getPackage().getImplementationVersion();
		VALUE = (implementation != null) ? implementation : "dev";
	}

	private Version() {
	}

}
