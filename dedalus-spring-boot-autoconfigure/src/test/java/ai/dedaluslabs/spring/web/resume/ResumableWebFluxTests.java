package ai.dedaluslabs.spring.web.resume;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Resumable streams on WebFlux.
 */
@SpringBootTest(classes = ResumeApplications.WebFlux.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "dedalus.max-retries=0",
				"dedalus.sse.resume.grace=1s", "dedalus.sse.resume.retention=3s" })
@AutoConfigureDedalusMock
class ResumableWebFluxTests extends ResumableForwardingTests {

}
