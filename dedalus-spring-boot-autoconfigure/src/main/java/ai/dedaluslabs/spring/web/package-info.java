/**
 * Forwarding a stream of chat-completion chunks to a browser as Server-Sent Events, from Spring
 * MVC ({@code SseEmitter}) or WebFlux ({@code Flux<ServerSentEvent<String>>}).
 */
@NullMarked
package ai.dedaluslabs.spring.web;

import org.jspecify.annotations.NullMarked;
