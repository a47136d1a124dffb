package ai.dedaluslabs.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, nothing downloaded) opens the chat page, sends a prompt, watches the
 * answer grow token by token and finish with usage, then presses Stop mid-stream, after which the
 * simulated model sees its stream closed. Skipped with a message where Chromium is missing; under
 * {@code CI=true} a missing Chromium fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulate=true", "sample.simulated-token-interval=60ms", "dedalus.sse.heartbeat=1s" })
@Timeout(180)
class BrowserChatTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static WebDriver browser;

	@Autowired
	private SimulatedDedalus simulated;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startBrowser() throws Exception {
		boolean available = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true but Chromium is missing: .ci/run must install the Debian "
					+ "packages chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
		}
		Assumptions.assumeTrue(available, "Skipping the browser test: install Debian's chromium and chromium-driver "
				+ "(apt-get install -y chromium chromium-driver) to run it");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1100,900",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	private WebElement element(String id) {
		return browser.findElement(By.id(id));
	}

	private void ask(String mode, String prompt) {
		browser.get("http://localhost:" + this.port + "/");
		await().atMost(Duration.ofSeconds(20)).until(() -> element("banner").isDisplayed());
		browser.findElement(By.cssSelector("input[name='mode'][value='" + mode + "']")).click();
		element("prompt").clear();
		element("prompt").sendKeys(prompt);
		element("send").click();
	}

	@Test
	void answerGrowsTokenByTokenAndCompletesWithUsage() throws Exception {
		ask("stream", "What do you think of artificial intelligence?");
		assertThat(element("banner").getText()).contains("Simulated model");
		await().atMost(Duration.ofSeconds(20)).until(() -> element("answer").getText().length() > 20);
		int early = element("answer").getText().length();
		await().atMost(Duration.ofSeconds(20)).until(() -> element("answer").getText().length() > early + 20);
		screenshot("sample-app-mid-stream.png");
		await().atMost(Duration.ofSeconds(30)).until(() -> element("status").getText().equals("Done."));
		assertThat(element("answer").getText()).startsWith("Ineluctable modality of the visible")
			.contains("What do you think of artificial intelligence?")
			.endsWith("and it ends here.");
		assertThat(element("finish").getText()).isEqualTo("stop");
		assertThat(element("usage").getText()).matches("\\d+ prompt \\+ \\d+ completion = \\d+ tokens");
		assertThat(element("error").isDisplayed()).isFalse();
	}

	@Test
	void fluxModeStreamsAToolCall() {
		ask("flux", "What is the weather in Trieste?");
		await().atMost(Duration.ofSeconds(30)).until(() -> element("status").getText().equals("Done."));
		assertThat(element("tools").getText())
			.isEqualTo("The model asked to call get_weather({\"city\":\"Trieste\",\"units\":\"c\"})");
		assertThat(element("finish").getText()).isEqualTo("tool_calls");
	}

	@Test
	void springAiModeRunsTheWeatherToolOnTheServer() {
		ask("spring-ai", "What is the weather in Trieste?");
		await().atMost(Duration.ofSeconds(30)).until(() -> element("status").getText().equals("Done."));
		assertThat(element("answer").getText()).startsWith("The weather tool answered: Rain, 12 °C in Trieste")
			.endsWith("and it ends here.");
		assertThat(element("usage").getText()).matches("\\d+ prompt \\+ \\d+ completion = \\d+ tokens");
		assertThat(element("error").isDisplayed()).isFalse();
	}

	@Test
	void agentModeShowsTheToolCallAndStreamsTheAnswer() {
		ask("agent", "What is the weather in Trieste?");
		await().atMost(Duration.ofSeconds(30)).until(() -> element("status").getText().equals("Done."));
		assertThat(element("tools").getText())
			.isEqualTo("The model asked to call get_weather({\"city\":\"Trieste\",\"units\":\"c\"})");
		assertThat(element("answer").getText()).startsWith("The weather tool answered: Rain, 12 °C in Trieste")
			.endsWith("and it ends here.");
		assertThat(element("usage").getText()).matches("\\d+ prompt \\+ \\d+ completion = \\d+ tokens");
	}

	@Test
	void officialSdkInTheBrowserStreamsThroughTheEndpoint() {
		ask("sdk", "What do you think of artificial intelligence?");
		await().atMost(Duration.ofSeconds(30)).until(() -> element("status").getText().equals("Done."));
		assertThat(element("answer").getText()).startsWith("Ineluctable modality of the visible")
			.endsWith("and it ends here.");
		assertThat(element("finish").getText()).isEqualTo("stop");
		assertThat(element("usage").getText()).matches("\\d+ prompt \\+ \\d+ completion = \\d+ tokens");
		assertThat(element("error").isDisplayed()).isFalse();
	}

	@Test
	void stopClosesTheStreamAndTheModelSeesIt() {
		for (String mode : new String[] { "stream", "flux", "sdk" }) {
			int cancelledBefore = this.simulated.cancelledStreams();
			ask(mode, "Tell me about the sea, " + mode);
			await().atMost(Duration.ofSeconds(20)).until(() -> element("answer").getText().length() > 10);
			element("stop").click();
			assertThat(element("status").getText()).isEqualTo("Stopped.");
			await().atMost(Duration.ofSeconds(10))
				.alias("the simulated model saw the " + mode + " stream closed")
				.until(() -> this.simulated.cancelledStreams() > cancelledBefore);
			assertThat(element("answer").getText()).doesNotEndWith("and it ends here.");
		}
	}

	@Test
	void aReloadMidAnswerContinuesTheSameAnswer() {
		int startedBefore = this.simulated.startedStreams();
		int completedBefore = this.simulated.completedStreams();
		int cancelledBefore = this.simulated.cancelledStreams();
		ask("resumable", "What do you think of artificial intelligence?");
		await().atMost(Duration.ofSeconds(20)).until(() -> element("answer").getText().length() > 20);
		browser.navigate().refresh();
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> element("status").getText().equals("Done."));
		assertThat(element("answer").getText()).startsWith("Ineluctable modality of the visible")
			.contains("What do you think of artificial intelligence?")
			.endsWith("and it ends here.");
		assertThat(element("usage").getText()).matches("\\d+ prompt \\+ \\d+ completion = \\d+ tokens");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.simulated.completedStreams() == completedBefore + 1);
		assertThat(this.simulated.startedStreams()).as("the reload asked the model nothing again")
			.isEqualTo(startedBefore + 1);
		assertThat(this.simulated.cancelledStreams()).isEqualTo(cancelledBefore);
	}

	@Test
	void stopInResumableModeCancelsTheAnswerAtOnce() {
		int cancelledBefore = this.simulated.cancelledStreams();
		ask("resumable", "Tell me about the sea, resumably");
		await().atMost(Duration.ofSeconds(20)).until(() -> element("answer").getText().length() > 10);
		element("stop").click();
		assertThat(element("status").getText()).isEqualTo("Stopped.");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.simulated.cancelledStreams() > cancelledBefore);
	}

	private static void screenshot(String name) throws Exception {
		File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
	}

}
