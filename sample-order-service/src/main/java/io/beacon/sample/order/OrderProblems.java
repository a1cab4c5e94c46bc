package io.beacon.sample.order;

import java.util.List;
import java.util.concurrent.TimeoutException;

import io.beacon.client.web.NoInstanceAvailableException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.core.codec.CodecException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure is an RFC 9457 problem: bad input names its fields; payment-service being away is a
 * 503 that says so, never a stack trace.
 */
@RestControllerAdvice
class OrderProblems extends ResponseEntityExceptionHandler {

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> errors = ex.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + ": " + error.getDefaultMessage())
			.sorted()
			.toList();
		ProblemDetail problem = ex.getBody();
		problem.setDetail(String.join("; ", errors));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler(NoInstanceAvailableException.class)
	ProblemDetail noPaymentInstance(NoInstanceAvailableException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "Payment service unavailable", ex.getMessage());
	}

	@ExceptionHandler(TimeoutException.class)
	ProblemDetail paymentTimedOut(TimeoutException ex) {
		return problem(HttpStatus.GATEWAY_TIMEOUT, "Payment service too slow",
				"payment-service did not answer within 5 s; the order was not placed");
	}

	@ExceptionHandler(WebClientResponseException.class)
	ProblemDetail paymentRefused(WebClientResponseException ex) {
		return problem(HttpStatus.BAD_GATEWAY, "Payment refused",
				"payment-service answered " + ex.getStatusCode().value() + "; the order was not placed");
	}

	@ExceptionHandler(CodecException.class)
	ProblemDetail paymentUnreadable(CodecException ex) {
		return problem(HttpStatus.BAD_GATEWAY, "Payment answer unreadable",
				"payment-service answered something this service cannot read; the order was not placed");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, JsonErrors.describe(ex));
		problem.setTitle("Unreadable order");
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler(WebClientException.class)
	ProblemDetail paymentFailed(WebClientException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "Payment service unavailable",
				"payment-service could not be reached (" + ex.getMostSpecificCause().getClass().getSimpleName()
						+ "); the order was not placed");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
