/**
 * The models the API offers ({@code GET /v1/models}).
 */
@NullMarked
package ai.dedaluslabs.client.models;

import org.jspecify.annotations.NullMarked;
