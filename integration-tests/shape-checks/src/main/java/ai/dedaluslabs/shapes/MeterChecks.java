package ai.dedaluslabs.shapes;

import ai.dedaluslabs.client.DedalusClient;
import ai.dedaluslabs.test.DedalusMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every shape with Micrometer must show in its meters. A class of its own, apart from
 * {@link ShapeChecks}, so that the shape without Micrometer never loads it.
 */
public final class MeterChecks {

	private MeterChecks() {
	}

	/**
	 * Stream through the client and check that the operation is timed once, by the Dedalus meters,
	 * while Spring Boot's own meter handler still records every other observation.
	 * @param client the application's client
	 * @param dedalus the scripted API
	 * @param meters the application's meter registry
	 * @param observations the application's observation registry
	 */
	public static void timesEachOperationOnce(DedalusClient client, DedalusMockServer dedalus, MeterRegistry meters,
			ObservationRegistry observations) {
		double before = durations(meters);
		ShapeChecks.streamsThroughTheClient(client, dedalus);
		assertThat(durations(meters) - before).as("gen_ai.client.operation.duration recordings").isEqualTo(1);
		assertThat(meters.find("gen_ai.client.operation").timer())
			.as("a second timer of the same operation, from Boot's generic handler").isNull();
		assertThat(meters.find("gen_ai.client.operation.active").longTaskTimer()).isNull();
		Observation.createNotStarted("shape.unrelated", observations).observe(() -> {
		});
		assertThat(meters.get("shape.unrelated").timer().count()).as("Boot's handler, for any other observation")
			.isEqualTo(1);
	}

	private static double durations(MeterRegistry meters) {
		return meters.find("gen_ai.client.operation.duration").timers().stream().mapToLong((timer) -> timer.count()).sum();
	}

}
