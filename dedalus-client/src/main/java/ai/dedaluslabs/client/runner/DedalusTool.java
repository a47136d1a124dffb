package ai.dedaluslabs.client.runner;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a local tool, found by {@link LocalTool#fromMethods(Object)} and
 * {@link RunRequest.Builder#tools(Object)} (and, in Spring Boot, on every bean). The method takes
 * one parameter, a record that describes the arguments (its JSON schema is what the model sees), or
 * none; it returns the result, or a {@code Mono} of it to run asynchronously.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DedalusTool {

	/**
	 * The name the model calls the tool by; the method's name when empty.
	 * @return the name
	 */
	String name() default "";

	/**
	 * What the tool does, for the model.
	 * @return the description
	 */
	String description();

}
