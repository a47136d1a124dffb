package ai.dedaluslabs.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one {@link DedalusMockServer} for a test class, hands it to test
 * methods and constructors as a parameter, and closes it after the class. With an
 * {@code ApplicationContextRunner}:
 *
 * <pre class="code">
 * &#64;ExtendWith(DedalusMockServerExtension.class)
 * class MyServiceTests {
 *
 *     &#64;Test
 *     void answers(DedalusMockServer server) {
 *         server.enqueue(StreamScript.create().text("Hello"));
 *         contextRunner.withPropertyValues(server.propertyValues()).run((context) -&gt; ...);
 *     }
 * }
 * </pre>
 *
 * For {@code @SpringBootTest}, use {@link AutoConfigureDedalusMock} instead.
 *
 * @since 0.1.0
 */
public class DedalusMockServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(DedalusMockServerExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		server(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		DedalusMockServer server = context.getStore(NAMESPACE).remove(DedalusMockServer.class, DedalusMockServer.class);
		if (server != null) {
			server.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == DedalusMockServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return server(extensionContext);
	}

	private static DedalusMockServer server(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		return classContext.getStore(NAMESPACE)
			.getOrComputeIfAbsent(DedalusMockServer.class, (key) -> DedalusMockServer.start(), DedalusMockServer.class);
	}

}
