package ai.dedaluslabs.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules that keep the modules apart, checked over the compiled classes of every published
 * module (client, auto-configuration, test kit).
 */
class ArchitectureTests {

	/** The client's package, from its entry point, so a rename cannot leave the rules checking nothing. */
	private static final String CLIENT = ai.dedaluslabs.client.DedalusClient.class.getPackageName();

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("ai.dedaluslabs");

	@Test
	void everyModuleIsImported() {
		assertThat(CLASSES.containPackage(CLIENT + ".internal")).isTrue();
		assertThat(CLASSES.containPackage("ai.dedaluslabs.spring.web.servlet")).isTrue();
		assertThat(CLASSES.containPackage("ai.dedaluslabs.spring.web.reactive")).isTrue();
		assertThat(CLASSES.containPackage("ai.dedaluslabs.test")).isTrue();
	}

	@Test
	void nothingOutsideTheClientReachesIntoItsInternals() {
		noClasses().that()
			.resideOutsideOfPackage(CLIENT + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(CLIENT + ".internal..")
			.because("internal is the client's implementation; other modules use its public API")
			.check(CLASSES);
	}

	@Test
	void servletCodeNeverTouchesReactiveCode() {
		noClasses().that()
			.resideInAPackage("ai.dedaluslabs..servlet..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("ai.dedaluslabs..reactive..")
			.because("a servlet application must not load WebFlux-only code")
			.check(CLASSES);
	}

	@Test
	void reactiveCodeNeverTouchesServletCode() {
		noClasses().that()
			.resideInAPackage("ai.dedaluslabs..reactive..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("ai.dedaluslabs..servlet..")
			.orShould()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web.servlet..", "jakarta.servlet..")
			.because("a WebFlux-only application has no Spring MVC and no servlet API")
			.check(CLASSES);
	}

	@Test
	void stackNeutralWebCodeNamesNeitherStack() {
		noClasses().that()
			.resideInAnyPackage("ai.dedaluslabs.spring.web", "ai.dedaluslabs.spring.proxy",
					"ai.dedaluslabs.spring.autoconfigure", "ai.dedaluslabs.client..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web.servlet..", "jakarta.servlet..",
					"org.springframework.web.reactive.result..", "org.springframework.web.server..")
			.because("shared code is loaded in every application shape")
			.check(CLASSES);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("ai.dedaluslabs.(**)").should().beFreeOfCycles().check(CLASSES);
	}

}
