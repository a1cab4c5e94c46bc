package io.beacon.systemtest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium driven by its chromedriver, headless, with a throw-away profile and the browser
 * console recorded. Tests that need it are skipped when either binary is missing, unless
 * {@code BEACON_REQUIRE_TOOLS=1} (as in CI), where they fail.
 */
final class Chromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private Chromium() {
	}

	/** Skips the calling test class when the browser or its driver is missing (fails in CI). */
	static void assumeInstalled() {
		boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
		if (!installed && "1".equals(System.getenv("BEACON_REQUIRE_TOOLS"))) {
			throw new IllegalStateException(BROWSER + " and " + DRIVER
					+ " are needed (BEACON_REQUIRE_TOOLS=1); install Debian's chromium and chromium-driver");
		}
		Assumptions.assumeTrue(installed, "chromium and chromedriver are not installed");
	}

	/**
	 * A headless browser; the flags that turn off Chromium's own background traffic also keep it from
	 * having its connections refused in a sandboxed network.
	 */
	static ChromeDriver start(Path profile, int width, int height) {
		try {
			Files.createDirectories(profile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		options.addArguments(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height));
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
			.usingAnyFreePort()
			.withLogFile(AppProcess.LOGS.resolve("chromedriver.log").toFile())
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
		return driver;
	}

	/**
	 * The errors the browser console got since the last call, but those a test expects.
	 */
	static List<String> consoleErrors(WebDriver driver, Predicate<String> expected) {
		List<String> errors = new ArrayList<>();
		for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !expected.test(entry.getMessage())) {
				errors.add(entry.getMessage());
			}
		}
		return errors;
	}

}
