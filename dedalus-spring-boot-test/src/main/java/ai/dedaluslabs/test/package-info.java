/**
 * {@link ai.dedaluslabs.test.DedalusMockServer}: a scripted Dedalus API for tests, with JUnit 5 and
 * Spring Boot integration.
 */
@NullMarked
package ai.dedaluslabs.test;

import org.jspecify.annotations.NullMarked;
