package io.beacon.sample.payment;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Says in one line what is wrong with an unreadable JSON body, naming the field when there is one.
 */
final class JsonErrors {

	private JsonErrors() {
	}

	static String describe(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return unknown.getPropertyName() + ": is not a known field";
		}
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return mismatch.getPathReference().replaceAll(".*\\[\"|\"\\]", "") + ": has the wrong type";
		}
		if (cause instanceof JacksonException json) {
			String message = String.valueOf(json.getOriginalMessage());
			int newline = message.indexOf('\n');
			return "Malformed JSON: " + ((newline >= 0) ? message.substring(0, newline) : message);
		}
		return "The body must be a JSON object";
	}

}
