package io.beacon.registry.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Rules;
import io.beacon.registry.core.Violation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed access to the fields of a JSON object body that collects every type error (and every
 * unknown field) instead of stopping at the first, so a client learns all its mistakes at once.
 * JSON {@code null} counts as absent.
 */
final class JsonFields {

	private final ObjectNode node;

	private final List<Violation> violations = new ArrayList<>();

	JsonFields(ObjectNode node, Set<String> known) {
		this.node = node;
		for (String name : node.propertyNames()) {
			if (!known.contains(name)) {
				this.violations.add(new Violation(Rules.printable(name),
						"is not a known field; known fields are " + new TreeSet<>(known)));
			}
		}
	}

	String string(String name) {
		JsonNode value = present(name);
		if (value == null) {
			return null;
		}
		if (!value.isString()) {
			return typeError(name, "a string", value);
		}
		return value.stringValue();
	}

	Integer integer(String name) {
		JsonNode value = present(name);
		if (value == null) {
			return null;
		}
		if (!value.isIntegralNumber()) {
			return typeError(name, "an integer", value);
		}
		if (!value.canConvertToInt()) {
			this.violations.add(new Violation(name, "is out of range (got " + abbreviate(value.toString()) + ")"));
			return null;
		}
		return value.intValue();
	}

	Boolean bool(String name) {
		JsonNode value = present(name);
		if (value == null) {
			return null;
		}
		if (!value.isBoolean()) {
			return typeError(name, "true or false", value);
		}
		return value.booleanValue();
	}

	Map<String, String> stringMap(String name) {
		JsonNode value = present(name);
		if (value == null) {
			return null;
		}
		if (!value.isObject()) {
			return typeError(name, "an object of string values", value);
		}
		Map<String, String> map = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : value.properties()) {
			if (!entry.getValue().isString()) {
				this.violations.add(new Violation(name + "." + Rules.printable(entry.getKey()),
						"must be a string (got " + typeName(entry.getValue()) + ")"));
			}
			else {
				map.put(entry.getKey(), entry.getValue().stringValue());
			}
		}
		return map;
	}

	/** Throws when any field had the wrong type or was unknown. */
	void check() {
		if (!this.violations.isEmpty()) {
			throw new InvalidInputException(this.violations);
		}
	}

	private JsonNode present(String name) {
		JsonNode value = this.node.get(name);
		return (value == null || value.isNull()) ? null : value;
	}

	private <T> T typeError(String name, String expected, JsonNode value) {
		this.violations.add(new Violation(name, "must be " + expected + " (got " + typeName(value) + ")"));
		return null;
	}

	static String typeName(JsonNode value) {
		if (value.isString()) {
			return "a string";
		}
		if (value.isIntegralNumber()) {
			return "an integer";
		}
		if (value.isNumber()) {
			return "a decimal number";
		}
		if (value.isBoolean()) {
			return "a boolean";
		}
		if (value.isArray()) {
			return "an array";
		}
		if (value.isObject()) {
			return "an object";
		}
		return "null";
	}

	private static String abbreviate(String text) {
		return (text.length() > 32) ? text.substring(0, 32) + "..." : text;
	}

}
