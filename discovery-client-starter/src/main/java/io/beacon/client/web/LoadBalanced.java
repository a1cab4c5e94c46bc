package io.beacon.client.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the load-balanced {@code WebClient.Builder}: inject it with this qualifier, and its
 * requests to {@code http://service-name/...} go to an UP instance of that service. Any
 * {@code WebClient.Builder} injected without it stays a plain one.
 * <pre>
 * OrderService(&#64;LoadBalanced WebClient.Builder builder) {
 *     this.payments = builder.baseUrl("http://payment-service").build();
 * }
 * </pre>
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Qualifier
public @interface LoadBalanced {

}
