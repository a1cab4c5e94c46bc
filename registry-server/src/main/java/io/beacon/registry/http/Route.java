package io.beacon.registry.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One line of the API's route table: a method, a path pattern whose {@code {name}} segments are
 * variables, the name the endpoint is measured by, and the handler.
 *
 * @param method the HTTP method, upper case
 * @param pattern the path, for example {@code /v1/services/{service}/instances}
 * @param name the endpoint's {@code endpoint} tag on the API meters, for example {@code register}
 * @param handler answers a matched request
 */
public record Route(String method, String pattern, String name, Function<ApiRequest, ApiReply> handler) {

	public static Route get(String pattern, String name, Function<ApiRequest, ApiReply> handler) {
		return new Route("GET", pattern, name, handler);
	}

	public static Route post(String pattern, String name, Function<ApiRequest, ApiReply> handler) {
		return new Route("POST", pattern, name, handler);
	}

	public static Route put(String pattern, String name, Function<ApiRequest, ApiReply> handler) {
		return new Route("PUT", pattern, name, handler);
	}

	public static Route delete(String pattern, String name, Function<ApiRequest, ApiReply> handler) {
		return new Route("DELETE", pattern, name, handler);
	}

	/** The pattern split for matching: literal segments, and {@code null} where a variable stands. */
	String[] literals() {
		String[] segments = this.pattern.substring(1).split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			if (isVariable(segments[i])) {
				segments[i] = null;
			}
		}
		return segments;
	}

	/** The position of each variable among the path segments. */
	Map<String, Integer> variables() {
		String[] segments = this.pattern.substring(1).split("/", -1);
		Map<String, Integer> variables = new HashMap<>();
		for (int i = 0; i < segments.length; i++) {
			if (isVariable(segments[i])) {
				variables.put(segments[i].substring(1, segments[i].length() - 1), i);
			}
		}
		return variables;
	}

	private static boolean isVariable(String segment) {
		return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
	}

}
