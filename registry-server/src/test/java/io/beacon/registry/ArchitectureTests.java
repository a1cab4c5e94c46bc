package io.beacon.registry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.beacon.registry");

	@Test
	void theRegistryCoreKnowsNothingOfSpringHttpOrJson() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "tools.jackson..",
					"io.micrometer..", "jakarta..")
			.check(this.classes);
	}

	@Test
	void theCoreDependsOnNoOtherPartOfTheServer() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.beacon.registry.http..", "io.beacon.registry.api..",
					"io.beacon.registry.config..", "io.beacon.registry.metrics..", "io.beacon.registry.schedule..")
			.check(this.classes);
	}

	@Test
	void theHttpTransportKnowsNoEndpoint() {
		noClasses().that()
			.resideInAPackage("io.beacon.registry.http..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.beacon.registry.api..")
			.check(this.classes);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.beacon.registry.(*)..").should().beFreeOfCycles().check(this.classes);
	}

}
