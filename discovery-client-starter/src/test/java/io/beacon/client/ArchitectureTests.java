package io.beacon.client;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.beacon.client");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.beacon.client.(*)..").should().beFreeOfCycles().check(this.classes);
	}

	@Test
	void choosingAnInstanceKnowsNothingOfSpringOrHttp() {
		noClasses().that()
			.resideInAPackage("io.beacon.client.loadbalancer..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "io.beacon.client.web..",
					"io.beacon.client.registry..")
			.check(this.classes);
	}

	@Test
	void writeAndReadSidesKnowNothingOfSpringOrEachOther() {
		noClasses().that()
			.resideInAnyPackage("io.beacon.client.registration..", "io.beacon.client.discovery..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
		noClasses().that()
			.resideInAPackage("io.beacon.client.registration..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.beacon.client.discovery..")
			.check(this.classes);
		noClasses().that()
			.resideInAPackage("io.beacon.client.discovery..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.beacon.client.registration..")
			.check(this.classes);
	}

	@Test
	void onlyTheWiringKnowsTheWiring() {
		noClasses().that()
			.resideOutsideOfPackage("io.beacon.client.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.beacon.client.autoconfigure..")
			.check(this.classes);
	}

}
