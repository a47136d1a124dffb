package ai.dedaluslabs.bench;

/**
 * One way of consuming the benchmark stream. Each runs in a JVM of its own.
 */
interface Contender extends AutoCloseable {

	/**
	 * Consume one whole stream.
	 * @return how many content tokens were seen; must equal {@link StreamBytes#TOKENS}
	 */
	long consume() throws Exception;

	@Override
	default void close() throws Exception {
	}

}
