package ai.dedaluslabs.spring.web.resume;

import ai.dedaluslabs.test.AutoConfigureDedalusMock;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Resumable streams on Spring MVC.
 */
@SpringBootTest(classes = ResumeApplications.Mvc.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dedalus.max-retries=0", "dedalus.sse.resume.grace=1s", "dedalus.sse.resume.retention=3s" })
@AutoConfigureDedalusMock
class ResumableMvcTests extends ResumableForwardingTests {

}
