package ai.dedaluslabs.spring.proxy;

/**
 * {@link ProxyStoreContractTests} for stores in other packages.
 */
public abstract class ProxyStoreContractAccess extends ProxyStoreContractTests {

	@Override
	protected abstract ProxyStore store();

}
