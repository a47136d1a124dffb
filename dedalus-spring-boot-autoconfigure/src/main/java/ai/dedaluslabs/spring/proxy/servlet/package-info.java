/**
 * The front-end endpoint's controller for Spring MVC; loaded only in servlet web applications.
 */
@NullMarked
package ai.dedaluslabs.spring.proxy.servlet;

import org.jspecify.annotations.NullMarked;
