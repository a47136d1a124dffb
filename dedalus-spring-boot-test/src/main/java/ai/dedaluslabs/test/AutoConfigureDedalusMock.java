package ai.dedaluslabs.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Points a {@code @SpringBootTest} at a {@link DedalusMockServer}: the server starts with the test
 * context, {@code dedalus.base-url} and a test {@code dedalus.api-key} are set to it, it is a bean
 * to {@code @Autowired} for scripting and assertions, and it closes with the context.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureDedalusMock
 * class ChatControllerTests {
 *
 *     &#64;Autowired
 *     DedalusMockServer dedalus;
 * }
 * </pre>
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureDedalusMock {

}
