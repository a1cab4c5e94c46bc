/**
 * Beacon behind Spring Cloud's standard interfaces ({@code DiscoveryClient},
 * {@code ReactiveDiscoveryClient}, {@code ServiceInstanceListSupplier}), for tools that find services
 * through them: Spring Cloud Gateway, Spring Cloud LoadBalancer, Spring Boot Admin. Loaded only when
 * Spring Cloud is on the classpath.
 */
package io.beacon.client.cloud;
