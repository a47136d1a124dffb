package ai.dedaluslabs.publishing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Maven Central requires of every published POM (name, description, URL, licence,
 * developers, SCM, after inheritance), and what a user expects of every library jar: sources and
 * Javadoc jars beside it, the licence inside it, and a manifest with the version and an
 * automatic module name. Reads the POMs and the jars the build just made.
 */
class PublishingTests {

	private static final Path ROOT = Path.of(System.getProperty("project.root"));

	private static final String VERSION = System.getProperty("expected.dedalus.version");

	private static Element pom(Path directory) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(false);
		Document document = factory.newDocumentBuilder().parse(directory.resolve("pom.xml").toFile());
		return document.getDocumentElement();
	}

	private static String child(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().strip();
			}
		}
		return "";
	}

	private static Element childElement(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child;
			}
		}
		return null;
	}

	/** A value from the POM or, as Maven inherits it, from its parents. */
	private static String inherited(Path directory, String path) throws Exception {
		Element pom = pom(directory);
		Element current = pom;
		for (String part : path.split("/")) {
			current = (current != null) ? childElement(current, part) : null;
		}
		if (current != null && !current.getTextContent().isBlank()) {
			return current.getTextContent().strip();
		}
		Element parent = childElement(pom, "parent");
		if (parent == null) {
			return "";
		}
		String relative = child(parent, "relativePath");
		Path parentPom = directory.resolve(relative.isEmpty() ? "../pom.xml" : relative).normalize();
		return inherited(parentPom.getParent(), path);
	}

	@ParameterizedTest
	@ValueSource(strings = { "dedalus-build", ".", "dedalus-bom", "dedalus-client", "dedalus-spring-boot-autoconfigure",
			"dedalus-spring-boot-starter", "dedalus-spring-boot-test", "dedalus-spring-ai",
			"dedalus-spring-ai-spring-boot-starter" })
	void publishedPomHasWhatMavenCentralRequires(String module) throws Exception {
		Path directory = ROOT.resolve(module).normalize();
		Element pom = pom(directory);
		assertThat(child(pom, "name")).as("%s name", module).isNotBlank();
		assertThat(child(pom, "description")).as("%s description", module).isNotBlank();
		assertThat(inherited(directory, "groupId")).as("%s groupId", module).isEqualTo("ai.dedaluslabs");
		assertThat(inherited(directory, "version")).as("%s version", module).isEqualTo(VERSION);
		assertThat(inherited(directory, "url")).as("%s url", module).startsWith("https://");
		assertThat(inherited(directory, "licenses/license/name")).as("%s licence", module)
			.isEqualTo("Apache License, Version 2.0");
		assertThat(inherited(directory, "licenses/license/url")).as("%s licence url", module).startsWith("https://");
		assertThat(inherited(directory, "developers/developer/name")).as("%s developers", module).isNotBlank();
		assertThat(inherited(directory, "scm/connection")).as("%s scm connection", module).startsWith("scm:git:");
		assertThat(inherited(directory, "scm/developerConnection")).as("%s scm", module).startsWith("scm:git:");
		assertThat(inherited(directory, "scm/url")).as("%s scm url", module).startsWith("https://");
	}

	@ParameterizedTest
	@CsvSource({ "dedalus-client, ai.dedaluslabs.client", "dedalus-spring-boot-autoconfigure, ai.dedaluslabs.spring.autoconfigure",
			"dedalus-spring-boot-starter, ai.dedaluslabs.spring.starter", "dedalus-spring-boot-test, ai.dedaluslabs.test",
			"dedalus-spring-ai, ai.dedaluslabs.spring.ai",
			"dedalus-spring-ai-spring-boot-starter, ai.dedaluslabs.spring.ai.starter" })
	void libraryJarComesWithSourcesJavadocLicenceAndManifest(String module, String moduleName) throws IOException {
		Path target = ROOT.resolve(module).resolve("target");
		String base = module + "-" + VERSION;
		for (String classifier : new String[] { "-sources", "-javadoc" }) {
			Path jar = target.resolve(base + classifier + ".jar");
			assertThat(jar).as("%s%s.jar", module, classifier).exists();
			try (JarFile file = new JarFile(jar.toFile())) {
				assertThat(file.size()).as("entries in %s", jar.getFileName()).isPositive();
			}
		}
		try (JarFile jar = new JarFile(target.resolve(base + ".jar").toFile())) {
			Attributes manifest = jar.getManifest().getMainAttributes();
			assertThat(manifest.getValue("Implementation-Version")).isEqualTo(VERSION);
			assertThat(manifest.getValue("Automatic-Module-Name")).isEqualTo(moduleName);
			assertThat(jar.getEntry("META-INF/LICENSE")).as("META-INF/LICENSE in %s", module).isNotNull();
			assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/LICENSE")).readAllBytes()))
				.contains("Apache License").contains("Version 2.0");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "dedalus-client", "dedalus-spring-boot-autoconfigure", "dedalus-spring-boot-test",
			"dedalus-spring-ai" })
	void javadocJarHoldsThePublicApiButNotTheInternals(String module) throws IOException {
		Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + "-javadoc.jar");
		try (JarFile file = new JarFile(jar.toFile())) {
			assertThat(file.getEntry("index.html")).isNotNull();
			assertThat(file.stream().map((entry) -> entry.getName()).filter((name) -> name.contains("/internal/")))
				.isEmpty();
		}
	}

	@org.junit.jupiter.api.Test
	void theLicenceIsAtTheRootAndTheBomManagesEveryPublishedArtifact() throws Exception {
		assertThat(Files.readString(ROOT.resolve("LICENSE"))).startsWith("                                 Apache License");
		String bom = Files.readString(ROOT.resolve("dedalus-bom/pom.xml"));
		for (String artifact : new String[] { "dedalus-client", "dedalus-spring-boot-autoconfigure",
				"dedalus-spring-boot-starter", "dedalus-spring-boot-test", "dedalus-spring-ai",
				"dedalus-spring-ai-spring-boot-starter" }) {
			assertThat(bom).contains("<artifactId>" + artifact + "</artifactId>");
		}
		assertThat(bom).doesNotContain("spring-boot-dependencies");
	}

}
