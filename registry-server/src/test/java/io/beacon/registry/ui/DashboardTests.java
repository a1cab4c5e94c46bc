package io.beacon.registry.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files are served from the jar on the registry's port, and really go away when it
 * is turned off. (What the page does is tested in a browser: system-tests' DashboardIT.)
 */
class DashboardTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** Every script, style sheet and icon the page refers to. */
	static List<String> assetsOf(String page) {
		List<String> assets = new ArrayList<>();
		Matcher matcher = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page);
		while (matcher.find()) {
			assets.add(matcher.group(1));
		}
		return assets;
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class Enabled {

		@LocalServerPort
		int port;

		@Test
		void servesThePageAtTheRootWithAStrictContentSecurityPolicy() throws Exception {
			HttpResponse<String> page = get(this.port, "/");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/html"));
			assertThat(page.headers().firstValue("Content-Security-Policy"))
				.hasValue(DashboardHeadersWebFilter.CONTENT_SECURITY_POLICY);
			assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(page.body()).contains("<title>Beacon registry</title>");
		}

		@Test
		void servesEveryAssetThePageRefersToFromTheJarNoneFromElsewhere() throws Exception {
			List<String> assets = assetsOf(get(this.port, "/").body());
			assertThat(assets).contains("/ui/dashboard.js", "/ui/dashboard.css",
					"/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/webjars/uplot/1.6.30/dist/uPlot.min.css");
			for (String asset : assets) {
				HttpResponse<String> response = get(this.port, asset);
				assertThat(response.statusCode()).as(asset).isEqualTo(200);
				String expected = asset.endsWith(".js") ? "text/javascript"
						: asset.endsWith(".css") ? "text/css" : "image/svg+xml";
				assertThat(response.headers().firstValue("Content-Type")).as(asset)
					.hasValueSatisfying((type) -> assertThat(type).startsWith(expected));
			}
			assertThat(get(this.port, "/").body()).doesNotContain("http://", "https://");
		}

		@Test
		void servesEveryScriptModuleTheDashboardImports() throws Exception {
			Deque<String> toRead = new ArrayDeque<>(List.of("dashboard.js"));
			Set<String> read = new TreeSet<>();
			while (!toRead.isEmpty()) {
				String module = toRead.pop();
				if (read.add(module)) {
					HttpResponse<String> response = get(this.port, "/ui/" + module);
					assertThat(response.statusCode()).as(module).isEqualTo(200);
					Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(response.body());
					while (imports.find()) {
						toRead.push(imports.group(1));
					}
				}
			}
			assertThat(read).contains("dashboard.js", "api.js", "stream.js", "model.js", "tables.js", "facts.js");
		}

		@Test
		void servesNoOtherClasspathFile() throws Exception {
			assertThat(get(this.port, "/ui/../application.yml").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/beacon-ui/index.html").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/webjars/uplot/1.6.30/package.json").statusCode()).isEqualTo(200);
			assertThat(get(this.port, "/index.html").statusCode()).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "beacon.registry.ui.enabled=false")
	class Disabled {

		@LocalServerPort
		int port;

		@Test
		void answers404ForThePageAndItsFilesWhileTheApiAndActuatorStillServe() throws Exception {
			assertThat(get(this.port, "/").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/ui/dashboard.js").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/v1/services").statusCode()).isEqualTo(200);
			assertThat(get(this.port, "/v1/registry").statusCode()).isEqualTo(200);
			assertThat(get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
		}

	}

}
