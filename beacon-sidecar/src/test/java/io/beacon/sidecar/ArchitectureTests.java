package io.beacon.sidecar;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.beacon.sidecar");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.beacon.sidecar.(*)..").should().beFreeOfCycles().check(this.classes);
	}

	@Test
	void healthAppAndLifecycleKnowNothingOfSpring() {
		noClasses().that()
			.resideInAnyPackage("io.beacon.sidecar.health..", "io.beacon.sidecar.app..", "io.beacon.sidecar.lifecycle..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
	}

	@Test
	void onlyTheWiringKnowsTheWiring() {
		noClasses().that()
			.resideOutsideOfPackages("io.beacon.sidecar.config..", "io.beacon.sidecar")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.beacon.sidecar.config..", "io.beacon.client.autoconfigure..")
			.check(this.classes);
	}

	@Test
	void theProxyLeavesChoosingAndRetryingToTheStarter() {
		noClasses().that()
			.resideInAPackage("io.beacon.sidecar.proxy..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.beacon.client.loadbalancer..", "io.beacon.client.discovery..")
			.check(this.classes);
	}

}
