package io.beacon.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.beacon.registry.testing.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (headless Chromium) against a real registry process with real
 * payment-service processes: what it lists, and how it follows a crash, a new instance, a drain, an
 * operator's action and a dropped stream, all without reloading the page, with a clean console.
 * <p>
 * The browser reaches the registry through a {@link TcpProxy}, so a test can cut the page's
 * connection while the registry keeps running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

	/** The samples' lease (see {@link AppProcess#clientArgs}). */
	private static final Duration LEASE_TTL = Duration.ofSeconds(3);

	private static final String PAYMENT = "payment-service";

	/** A service registered by the test itself, with a long lease and no heartbeats: the operator's target. */
	private static final String INVENTORY = "inventory-service";

	private final List<AppProcess> processes = new ArrayList<>();

	private int registryPort;

	private AppProcess crashing;

	private AppProcess draining;

	private TcpProxy proxy;

	private ChromeDriver browser;

	/** Set by a test that cuts the network on purpose: the browser then logs failed connections. */
	private boolean networkFailuresExpected;

	@BeforeAll
	void startRegistryInstancesAndBrowser() throws IOException {
		Chromium.assumeInstalled();
		this.registryPort = AppProcess.freePort();
		this.processes.add(AppProcess.registry(this.registryPort));
		this.crashing = AppProcess.payment("dashboard-payment-1", AppProcess.freePort(), this.registryPort, false);
		this.draining = AppProcess.payment("dashboard-payment-2", AppProcess.freePort(), this.registryPort, false);
		this.processes.add(this.crashing);
		this.processes.add(this.draining);
		Path profile = Files.createTempDirectory("beacon-chromium");
		this.browser = Chromium.start(profile, 1280, 1000);
		await().atMost(Duration.ofSeconds(120)).until(() -> Http.healthy(this.registryPort));
		for (AppProcess payment : List.of(this.crashing, this.draining)) {
			await().atMost(Duration.ofSeconds(180))
				.until(() -> "UP".equals(Http.status(this.registryPort, PAYMENT, payment.instanceId())));
		}
		register("inv-1");
		this.proxy = new TcpProxy(this.registryPort);
		this.browser.get("http://127.0.0.1:" + this.proxy.port() + "/");
		// a reload would lose this mark: tests check it to prove the page updated itself
		this.browser.executeScript("window.beaconTestMark = 'no reload';");
		// the console check below can fail: an error logged by the page is seen
		this.browser.executeScript("console.error('beacon console probe');");
		assertThat(this.browser.manage().logs().get(LogType.BROWSER).getAll())
			.anySatisfy((entry) -> assertThat(entry.getMessage()).contains("beacon console probe"));
	}

	@AfterAll
	void stopEverything() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.processes.forEach(AppProcess::close);
	}

	@AfterEach
	void browserConsoleHasNoErrors() {
		if (this.browser == null) {
			return;
		}
		List<String> errors = Chromium.consoleErrors(this.browser, this::expected);
		this.networkFailuresExpected = false;
		assertThat(errors).as("errors in the browser console").isEmpty();
	}

	/** Connection failures are expected only while a test cuts the network. */
	private boolean expected(String message) {
		return this.networkFailuresExpected && message.contains("net::ERR_");
	}

	@Test
	@Order(1)
	void listsEveryServiceWithItsInstanceCountsByStatusAndTheRegistryFacts() throws IOException {
		awaitBadge(PAYMENT, "UP", 2);
		awaitBadge(INVENTORY, "UP", 1);
		assertThat(badge(PAYMENT, "DOWN")).isEqualTo("0 DOWN");
		assertThat(text("#service-table tr[data-service='" + PAYMENT + "'] .total")).isEqualTo("2");
		await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-fact='store']").equals("memory"));
		await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-fact='instances']").equals("3"));
		assertThat(text("#connection")).isEqualTo("Live");

		this.browser.findElement(By.id("service-filter")).sendKeys("pay");
		await().atMost(Duration.ofSeconds(5)).until(() -> serviceRows().equals(List.of(PAYMENT)));
		this.browser.findElement(By.id("service-filter")).clear();
		this.browser.findElement(By.id("service-filter")).sendKeys(" ");
		await().atMost(Duration.ofSeconds(5)).until(() -> serviceRows().equals(List.of(INVENTORY, PAYMENT)));

		choose(PAYMENT);
		await().atMost(Duration.ofSeconds(5)).until(() -> instanceRows().size() == 2);
		assertThat(rowStatus(this.crashing.instanceId())).isEqualTo("UP");
		List<String> ascending = instanceIds();
		assertThat(ascending).isSorted();
		this.browser.findElement(By.cssSelector("th[data-sort='instanceId'] button")).click();
		List<String> descending = new ArrayList<>(ascending);
		Collections.reverse(descending);
		await().atMost(Duration.ofSeconds(5)).until(() -> instanceIds().equals(descending));
		assertThat(this.browser.findElement(By.cssSelector("th[data-sort='instanceId']")).getDomAttribute("aria-sort"))
			.isEqualTo("descending");
		this.browser.findElement(By.cssSelector("th[data-sort='instanceId'] button")).click();
		assertThat(this.browser.findElements(By.cssSelector("#chart canvas"))).as("the uPlot chart").isNotEmpty();
		screenshots("dashboard");
	}

	@Test
	@Order(2)
	void everyControlHasALabelWorksFromTheKeyboardAndThePageFitsAPhone() {
		Object unlabelled = this.browser.executeScript("""
				return Array.from(document.querySelectorAll('input, button, [tabindex="0"]'))
				  .filter(e => e.offsetParent !== null)
				  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
				    && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
				  .map(e => e.outerHTML);""");
		assertThat((List<?>) unlabelled).isEmpty();

		// keyboard only: Tab to a service and open it with Enter, then reach its first sortable header
		this.browser.findElement(By.id("service-filter")).click();
		String target = "button.service-button[data-service='" + INVENTORY + "']";
		for (int tabs = 0; tabs < 20 && !focused(target); tabs++) {
			this.browser.switchTo().activeElement().sendKeys(Keys.TAB);
		}
		assertThat(focused(target)).as("a service reached with Tab").isTrue();
		this.browser.switchTo().activeElement().sendKeys(Keys.ENTER);
		await().atMost(Duration.ofSeconds(5)).until(() -> text("#instances-title").equals("Instances of " + INVENTORY));
		choose(PAYMENT);
		this.browser.manage().window().setSize(new Dimension(390, 844));
		try {
			Object pageWidth = this.browser.executeScript("return document.documentElement.scrollWidth;");
			assertThat(((Number) pageWidth).intValue()).as("page width at 390 px").isLessThanOrEqualTo(390);
		}
		finally {
			this.browser.manage().window().setSize(new Dimension(1280, 1000));
		}
	}

	@Test
	@Order(3)
	void aNewInstanceAppearsWithoutAReload() {
		register("inv-2");
		awaitBadge(INVENTORY, "UP", 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> eventLog().contains("registered " + INVENTORY + " / inv-2 UP"));
		assertNotReloaded();
	}

	@Test
	@Order(4)
	void aKilledInstanceTurnsDownWithinItsLeasePlusTwoSecondsWithoutAReload() throws InterruptedException {
		choose(PAYMENT);
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(rowStatus(this.crashing.instanceId())));
		this.crashing.kill();
		await().atMost(LEASE_TTL.plusSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> "DOWN".equals(rowStatus(this.crashing.instanceId())));
		awaitBadge(PAYMENT, "DOWN", 1);
		// the killed process's lease stream closed: the registry marks it DOWN well before its lease lapses
		assertThat(eventLog()).contains("connection lost " + PAYMENT + " / " + this.crashing.instanceId() + " DOWN");
		assertNotReloaded();
	}

	@Test
	@Order(5)
	void aDrainedInstanceShowsDrainingThenLeaves() {
		choose(PAYMENT);
		String id = this.draining.instanceId();
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(rowStatus(id)));
		// every status the row shows, however briefly
		this.browser.executeScript("""
				window.seenStatuses = [];
				const tbody = document.querySelector('#instance-table tbody');
				new MutationObserver(() => {
				  const row = tbody.querySelector('tr[data-instance="' + arguments[0] + '"]');
				  const status = row ? row.dataset.status : 'gone';
				  if (window.seenStatuses[window.seenStatuses.length - 1] !== status) window.seenStatuses.push(status);
				}).observe(tbody, {childList: true, subtree: true, attributes: true});""", id);
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
			try {
				this.draining.terminate(Duration.ofSeconds(60));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		await().atMost(Duration.ofSeconds(60)).until(() -> rowStatus(id) == null);
		stopped.join();
		assertThat(seenStatuses()).containsSubsequence("DRAINING", "gone");
		assertThat(eventLog()).contains("status changed " + PAYMENT + " / " + id + " DRAINING",
				"deregistered " + PAYMENT + " / " + id + " DRAINING");
		assertNotReloaded();
	}

	@Test
	@Order(6)
	void anAdminDrainsRestoresAndDeregistersAnInstanceEachAfterConfirming() {
		choose(INVENTORY);
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(rowStatus("inv-1")));

		action("inv-1", "drain");
		answerConfirmation("cancel");
		assertThat(Http.status(this.registryPort, INVENTORY, "inv-1")).isEqualTo("UP");

		action("inv-1", "drain");
		assertThat(text("#confirm-text")).contains(INVENTORY + " / inv-1", "DRAINING");
		answerConfirmation("ok");
		await().atMost(Duration.ofSeconds(10)).until(() -> "DRAINING".equals(rowStatus("inv-1")));
		assertThat(Http.status(this.registryPort, INVENTORY, "inv-1")).isEqualTo("DRAINING");

		action("inv-1", "up");
		answerConfirmation("ok");
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(rowStatus("inv-1")));
		assertThat(Http.status(this.registryPort, INVENTORY, "inv-1")).isEqualTo("UP");

		action("inv-1", "deregister");
		answerConfirmation("ok");
		await().atMost(Duration.ofSeconds(10)).until(() -> rowStatus("inv-1") == null);
		assertThat(Http.status(this.registryPort, INVENTORY, "inv-1")).isNull();
		assertNotReloaded();
	}

	@Test
	@Order(7)
	void showsReconnectingWhenTheStreamDropsAndResumesWithWhatItMissed() {
		this.networkFailuresExpected = true;
		await().atMost(Duration.ofSeconds(10)).until(() -> text("#connection").equals("Live"));
		this.proxy.cut();
		await().atMost(Duration.ofSeconds(10)).until(() -> text("#connection").equals("Reconnecting…"));
		// a change the page cannot see while it is cut off
		register("inv-3");
		this.proxy.restore();
		await().atMost(Duration.ofSeconds(30)).until(() -> text("#connection").equals("Live"));
		awaitBadge(INVENTORY, "UP", 2);
		// a replay of the missed change (not a new snapshot, which logs nothing) puts it in the log
		await().atMost(Duration.ofSeconds(10)).until(() -> eventLog().contains("registered " + INVENTORY + " / inv-3 UP"));
		assertNotReloaded();
	}

	// ---- helpers ------------------------------------------------------------------------------

	private void register(String instanceId) {
		int status = Http.post(this.registryPort, "/v1/services/" + INVENTORY + "/instances",
				"{\"instanceId\":\"" + instanceId + "\",\"host\":\"127.0.0.1\",\"port\":9100,\"zone\":\"eu-1\","
						+ "\"metadata\":{\"version\":\"1.0\"},\"leaseTtlSeconds\":3600}")
			.statusCode();
		assertThat(status).isEqualTo(201);
	}

	private String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText();
	}

	private String badge(String service, String status) {
		List<WebElement> badges = this.browser.findElements(
				By.cssSelector("#service-table tr[data-service='" + service + "'] .badge[data-status='" + status + "']"));
		return badges.isEmpty() ? null : badges.get(0).getText();
	}

	private void awaitBadge(String service, String status, int count) {
		await().atMost(Duration.ofSeconds(15)).until(() -> (count + " " + status).equals(badge(service, status)));
	}

	private List<String> serviceRows() {
		return this.browser.findElements(By.cssSelector("#service-table tbody tr"))
			.stream()
			.map((row) -> row.getDomAttribute("data-service"))
			.toList();
	}

	private List<WebElement> instanceRows() {
		return this.browser.findElements(By.cssSelector("#instance-table tbody tr"));
	}

	private List<String> instanceIds() {
		return instanceRows().stream().map((row) -> row.getDomAttribute("data-instance")).toList();
	}

	private void choose(String service) {
		this.browser.findElement(By.cssSelector("button.service-button[data-service='" + service + "']")).click();
		await().atMost(Duration.ofSeconds(5)).until(() -> text("#instances-title").equals("Instances of " + service));
	}

	/** The status a row shows, or {@code null} when the instance has no row. */
	private String rowStatus(String instanceId) {
		Object status = this.browser.executeScript(
				"const row = document.querySelector('#instance-table tbody tr[data-instance=\"' + arguments[0] + '\"]');"
						+ "return row ? row.dataset.status : null;",
				instanceId);
		return (String) status;
	}

	private List<String> eventLog() {
		return this.browser.findElements(By.cssSelector("#events li"))
			.stream()
			.map((item) -> item.getText().replaceFirst("^\\S+\\s+", "").replaceAll("\\s+", " "))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private List<String> seenStatuses() {
		return (List<String>) this.browser.executeScript("return window.seenStatuses;");
	}

	private void action(String instanceId, String action) {
		this.browser
			.findElement(By.cssSelector(
					"#instance-table tr[data-instance='" + instanceId + "'] button[data-action='" + action + "']"))
			.click();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.browser.findElement(By.id("confirm")).isDisplayed());
	}

	private void answerConfirmation(String answer) {
		this.browser.findElement(By.cssSelector("#confirm button[value='" + answer + "']")).click();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.browser.findElement(By.id("confirm")).isDisplayed());
	}

	private boolean focused(String css) {
		return (Boolean) this.browser.executeScript("return document.activeElement.matches(arguments[0]);", css);
	}

	private void assertNotReloaded() {
		assertThat(this.browser.executeScript("return window.beaconTestMark;")).isEqualTo("no reload");
	}

	/** Screenshots at a laptop's and a phone's width, in target/system-tests, to look at. */
	private void screenshots(String name) throws IOException {
		for (int width : new int[] { 1280, 390 }) {
			this.browser.manage().window().setSize(new Dimension(width, 1000));
			Path file = AppProcess.LOGS.resolve(name + "-" + width + ".png");
			Files.write(file, this.browser.getScreenshotAs(OutputType.BYTES));
		}
		this.browser.manage().window().setSize(new Dimension(1280, 1000));
	}

}
