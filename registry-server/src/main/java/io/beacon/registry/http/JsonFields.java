package io.beacon.registry.http;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Violation;

/**
 * Typed access to the fields of a JSON object body that collects every type error (and every
 * unknown field) instead of stopping at the first, so a client learns all its mistakes at once.
 * JSON {@code null} counts as absent.
 * <p>
 * The object is the one {@link JsonBodyReader} reads: property values are {@link String},
 * {@link Integer}, {@link Long} or {@link BigInteger} (integers, by size), {@link Boolean}, a
 * {@code Map} (an object directly inside the body, such as {@code metadata}), or a {@link Kind} for
 * what is only ever type-checked (decimal numbers, arrays, deeper objects, {@code null}).
 */
public final class JsonFields {

	/** JSON values whose content no endpoint reads: only their kind is kept, for error messages. */
	enum Kind {

		DECIMAL, ARRAY, OBJECT, NULL

	}

	private final Map<String, Object> object;

	private final List<Violation> violations = new ArrayList<>();

	public JsonFields(Map<String, Object> object, Set<String> known) {
		this.object = object;
		for (String name : object.keySet()) {
			if (!known.contains(name)) {
				this.violations.add(new Violation(ClientText.printable(name),
						"is not a known field; known fields are " + new TreeSet<>(known)));
			}
		}
	}

	public String string(String name) {
		Object value = present(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text)) {
			return typeError(name, "a string", value);
		}
		return text;
	}

	public Integer integer(String name) {
		Object value = present(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Integer number) {
			return number;
		}
		if (value instanceof Long || value instanceof BigInteger) {
			this.violations.add(new Violation(name, "is out of range (got " + abbreviate(value.toString()) + ")"));
			return null;
		}
		return typeError(name, "an integer", value);
	}

	public Boolean bool(String name) {
		Object value = present(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof Boolean flag)) {
			return typeError(name, "true or false", value);
		}
		return flag;
	}

	public Map<String, String> stringMap(String name) {
		Object value = present(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof Map<?, ?> entries)) {
			return typeError(name, "an object of string values", value);
		}
		Map<String, String> map = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : entries.entrySet()) {
			String key = (String) entry.getKey();
			if (!(entry.getValue() instanceof String text)) {
				this.violations.add(new Violation(name + "." + ClientText.printable(key),
						"must be a string (got " + typeName(entry.getValue()) + ")"));
			}
			else {
				map.put(key, text);
			}
		}
		return map;
	}

	/** Throws when any field had the wrong type or was unknown. */
	public void check() {
		if (!this.violations.isEmpty()) {
			throw new InvalidInputException(this.violations);
		}
	}

	private Object present(String name) {
		Object value = this.object.get(name);
		return (value == Kind.NULL) ? null : value;
	}

	private <T> T typeError(String name, String expected, Object value) {
		this.violations.add(new Violation(name, "must be " + expected + " (got " + typeName(value) + ")"));
		return null;
	}

	static String typeName(Object value) {
		if (value instanceof String) {
			return "a string";
		}
		if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
			return "an integer";
		}
		if (value == Kind.DECIMAL) {
			return "a decimal number";
		}
		if (value instanceof Boolean) {
			return "a boolean";
		}
		if (value == Kind.ARRAY) {
			return "an array";
		}
		if (value == Kind.OBJECT || value instanceof Map) {
			return "an object";
		}
		return "null";
	}

	private static String abbreviate(String text) {
		return (text.length() > 32) ? text.substring(0, 32) + "..." : text;
	}

}
