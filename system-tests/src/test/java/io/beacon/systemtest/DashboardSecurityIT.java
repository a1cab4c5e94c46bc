package io.beacon.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against a registry process with security on: it asks for a
 * token, refuses a wrong one, keeps the token in the tab's session storage only, shows the registry
 * to a read-only token without any action, and the actions to an admin token, where they work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardSecurityIT {

	private static final String ADMIN_TOKEN = "dashboard-it-admin-4f1c9a2e7b";

	private static final String READ_TOKEN = "dashboard-it-viewer-8d3b6e0c51";

	private static final String REGISTER_TOKEN = "dashboard-it-inventory-2a7e9c4f03";

	private static final String SERVICE = "inventory-service";

	private static final String INSTANCE = "/v1/services/" + SERVICE + "/instances/inv-1";

	private AppProcess registry;

	private int port;

	private ChromeDriver browser;

	@BeforeAll
	void startSecuredRegistryAndBrowser() throws IOException {
		Chromium.assumeInstalled();
		this.port = AppProcess.freePort();
		this.registry = AppProcess.registry(this.port, "--beacon.registry.security.enabled=true",
				"--beacon.registry.security.tokens[0].name=operator",
				"--beacon.registry.security.tokens[0].sha256=" + SecurityIT.sha256(ADMIN_TOKEN),
				"--beacon.registry.security.tokens[0].roles=read,admin",
				"--beacon.registry.security.tokens[1].name=viewer",
				"--beacon.registry.security.tokens[1].sha256=" + SecurityIT.sha256(READ_TOKEN),
				"--beacon.registry.security.tokens[1].roles=read",
				"--beacon.registry.security.tokens[2].name=inventory",
				"--beacon.registry.security.tokens[2].sha256=" + SecurityIT.sha256(REGISTER_TOKEN),
				"--beacon.registry.security.tokens[2].roles=register",
				"--beacon.registry.security.tokens[2].services=" + SERVICE);
		this.browser = Chromium.start(Files.createTempDirectory("beacon-chromium"), 1280, 1000);
		await().atMost(Duration.ofSeconds(120)).until(() -> Http.healthy(this.port));
		assertThat(Http.post(this.port, "/v1/services/" + SERVICE + "/instances",
				"{\"instanceId\":\"inv-1\",\"host\":\"127.0.0.1\",\"port\":9100,\"leaseTtlSeconds\":3600}",
				REGISTER_TOKEN)
			.statusCode()).isEqualTo(201);
		this.browser.get("http://127.0.0.1:" + this.port + "/");
	}

	@AfterAll
	void stopEverything() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.registry != null) {
			this.registry.close();
		}
	}

	/** Chromium logs each 401 the page is answered (that is how it learns it needs a token); nothing else. */
	@AfterEach
	void browserConsoleHasNoErrors() {
		if (this.browser == null) {
			return;
		}
		List<String> errors = Chromium.consoleErrors(this.browser, (message) -> message.contains("status of 401"));
		assertThat(errors).as("errors in the browser console").isEmpty();
	}

	@Test
	@Order(1)
	void asksForATokenAndShowsNothingWithoutOne() {
		awaitTokenDialog();
		assertThat(text("#connection")).isEqualTo("Signed out");
		assertThat(this.browser.findElements(By.cssSelector("#service-table tbody tr"))).isEmpty();
	}

	@Test
	@Order(2)
	void aWrongTokenIsRefusedAndAskedForAgain() {
		signIn("not-a-token-of-this-registry");
		await().atMost(Duration.ofSeconds(10)).until(() -> text("#token-reason").contains("refused"));
		awaitTokenDialog();
		assertThat(text("#connection")).isEqualTo("Signed out");
		assertThat(this.browser.findElements(By.cssSelector("#service-table tbody tr"))).isEmpty();
	}

	@Test
	@Order(3)
	void aReadOnlyTokenShowsTheRegistryWithoutAnyAction() {
		signIn(READ_TOKEN);
		await().atMost(Duration.ofSeconds(15)).until(() -> text("#connection").equals("Live"));
		assertThat(text("#identity")).isEqualTo("Signed in as viewer (read)");
		choose(SERVICE);
		await().atMost(Duration.ofSeconds(10)).until(() -> hasRow("inv-1"));
		assertThat(this.browser.findElements(By.cssSelector("#instance-table button[data-action]"))).isEmpty();
		assertThat(this.browser.findElement(By.cssSelector("th.actions-col")).isDisplayed()).isFalse();
		// the token stays in this tab's session storage, nowhere else
		assertThat(this.browser.executeScript("return sessionStorage.getItem('beacon.token');")).isEqualTo(READ_TOKEN);
		assertThat(this.browser.executeScript("return localStorage.length + document.cookie.length;"))
			.isEqualTo(0L);
	}

	@Test
	@Order(4)
	void anAdminTokenShowsTheActionsAndADrainWorks() {
		this.browser.findElement(By.id("sign-out")).click();
		awaitTokenDialog();
		assertThat(this.browser.executeScript("return sessionStorage.getItem('beacon.token');")).isNull();
		signIn(ADMIN_TOKEN);
		await().atMost(Duration.ofSeconds(15)).until(() -> text("#connection").equals("Live"));
		assertThat(text("#identity")).isEqualTo("Signed in as operator (read, admin)");
		choose(SERVICE);
		By drain = By.cssSelector("#instance-table button[data-action='drain'][data-instance='inv-1']");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.browser.findElements(drain).isEmpty());
		assertThat(this.browser.findElement(By.cssSelector("th.actions-col")).isDisplayed()).isTrue();
		this.browser.findElement(drain).click();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.browser.findElement(By.id("confirm")).isDisplayed());
		this.browser.findElement(By.cssSelector("#confirm button[value='ok']")).click();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "DRAINING".equals(this.browser.findElement(By.cssSelector("tr[data-instance='inv-1']"))
				.getDomAttribute("data-status")));
		assertThat(Http.json(Http.get(this.port, INSTANCE, READ_TOKEN)).get("status").stringValue())
			.isEqualTo("DRAINING");
	}

	// ---- helpers ------------------------------------------------------------------------------

	private void awaitTokenDialog() {
		await().atMost(Duration.ofSeconds(15)).until(() -> this.browser.findElement(By.id("token-dialog")).isDisplayed());
	}

	private void signIn(String token) {
		this.browser.findElement(By.id("token")).clear();
		this.browser.findElement(By.id("token")).sendKeys(token);
		this.browser.findElement(By.id("token-ok")).click();
	}

	private void choose(String service) {
		By button = By.cssSelector("button.service-button[data-service='" + service + "']");
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.browser.findElements(button).isEmpty());
		this.browser.findElement(button).click();
		await().atMost(Duration.ofSeconds(5)).until(() -> text("#instances-title").equals("Instances of " + service));
	}

	private boolean hasRow(String instanceId) {
		return !this.browser.findElements(By.cssSelector("#instance-table tr[data-instance='" + instanceId + "']"))
			.isEmpty();
	}

	private String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText();
	}

}
