package ai.dedaluslabs.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A call's request bodies: encoded at the call, handed to the first subscription, encoded again for
 * later ones, and each taken once.
 */
class RequestBodyTests {

	private final AtomicInteger encodings = new AtomicInteger();

	private final Supplier<byte[]> encoder = () -> {
		this.encodings.incrementAndGet();
		return "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
	};

	@Test
	void theFirstSubscriptionGetsTheBodyEncodedAtTheCallAndLaterOnesEncodeAgain() {
		Supplier<RequestBody> bodies = RequestBody.bodies(this.encoder);
		assertThat(this.encodings).as("encoded at the call").hasValue(1);
		byte[] first = bodies.get().take();
		assertThat(this.encodings).hasValue(1);
		byte[] second = bodies.get().take();
		assertThat(this.encodings).hasValue(2);
		assertThat(second).isEqualTo(first).isNotSameAs(first);
	}

	@Test
	void aBodyIsTakenOnce() {
		RequestBody body = RequestBody.bodies(this.encoder).get();
		body.take();
		assertThatIllegalStateException().isThrownBy(body::take).withMessageContaining("one subscription");
	}

	@Test
	void whatTheEncoderThrowsIsThrownAtTheCall() {
		assertThatIllegalStateException().isThrownBy(() -> RequestBody.bodies(() -> {
			throw new IllegalStateException("cannot encode");
		})).withMessage("cannot encode");
	}

}
