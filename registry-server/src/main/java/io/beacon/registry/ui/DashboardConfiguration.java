package io.beacon.registry.ui;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The live dashboard: a static page at {@code /} with its script and styles under {@code /ui/} and
 * the chart library from its WebJar, all served from the jar by WebFlux. The page reads the
 * registry through the public API ({@code /v1}), like any other client.
 * <p>
 * Boot's own static resource mappings are off ({@code spring.web.resources.add-mappings=false}),
 * so with {@code beacon.registry.ui.enabled=false} none of these paths answer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "beacon.registry.ui.enabled", matchIfMissing = true)
public class DashboardConfiguration {

	static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/";

	@Bean
	RouterFunction<ServerResponse> beaconDashboardRoutes() {
		Resource page = new ClassPathResource("beacon-ui/index.html");
		return RouterFunctions
			.route(GET("/"),
					(request) -> ServerResponse.ok()
						.contentType(MediaType.TEXT_HTML)
						.cacheControl(CacheControl.noCache())
						.bodyValue(page))
			.and(RouterFunctions.resources("/ui/**", new ClassPathResource("beacon-ui/")))
			.and(RouterFunctions.resources("/webjars/uplot/**", new ClassPathResource(UPLOT_WEBJAR)));
	}

	@Bean
	DashboardHeadersWebFilter dashboardHeadersWebFilter() {
		return new DashboardHeadersWebFilter();
	}

}
