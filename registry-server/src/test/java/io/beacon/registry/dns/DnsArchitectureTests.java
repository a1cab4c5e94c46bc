package io.beacon.registry.dns;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class DnsArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.beacon.registry");

	@Test
	void theAnswersKnowNothingOfSpringOrNetty() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.dns")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "tools.jackson..", "jakarta..")
			.check(this.classes);
	}

	@Test
	void theServerKnowsNothingOfSpring() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.dns.server..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "jakarta..")
			.check(this.classes);
	}

	@Test
	void dnsReadsOnlyTheCoreOfTheRestOfTheServer() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.dns..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.beacon.registry.http..", "io.beacon.registry.api..", "io.beacon.registry.web..",
					"io.beacon.registry.config..", "io.beacon.registry.metrics..", "io.beacon.registry.logging..")
			.check(this.classes);
		noClasses().that()
			.resideInAPackage("io.beacon.registry.core..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.beacon.registry.dns..")
			.check(this.classes);
	}

}
