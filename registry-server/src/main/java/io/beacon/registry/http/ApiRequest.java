package io.beacon.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import io.beacon.registry.core.InvalidInputException;
import io.beacon.registry.core.Registry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.beacon.registry.security.Caller;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * One API request, its path split into decoded segments and its query parsed, with the checks
 * every endpoint applies to paths, query parameters and headers. Each failure names the input and
 * the rule it broke.
 */
public final class ApiRequest {

	/** The header a client numbers its register and status writes with. */
	public static final String WRITE_SEQ_HEADER = "Beacon-Write-Seq";

	private final HttpServerRequest request;

	private final String[] segments;

	private final String rawQuery;

	private Caller caller = Caller.ANONYMOUS;

	/** Where the endpoint continues once the body has been read; {@code null}: on the event loop. */
	private Scheduler worker;

	private Map<String, List<String>> query;

	/** Where the matched route's variables sit among the segments. */
	private Map<String, Integer> variables = Map.of();

	private ApiRequest(HttpServerRequest request, String[] segments, String rawQuery) {
		this.request = request;
		this.segments = segments;
		this.rawQuery = rawQuery;
	}

	/**
	 * Splits the request target into path segments, each percent-decoded on its own so that an
	 * encoded '/' stays inside its segment (and is then refused by the name rules).
	 */
	static ApiRequest of(HttpServerRequest request) {
		String uri = request.uri();
		if (uri.isEmpty() || uri.charAt(0) != '/') {
			throw Problem.badRequest("The request target must be a path starting with '/'");
		}
		int queryStart = uri.indexOf('?');
		String path = (queryStart >= 0) ? uri.substring(0, queryStart) : uri;
		String rawQuery = (queryStart >= 0) ? uri.substring(queryStart + 1) : null;
		String[] segments = path.substring(1).split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			if (segments[i].indexOf('%') >= 0) {
				try {
					segments[i] = UriUtils.decode(segments[i], StandardCharsets.UTF_8);
				}
				catch (IllegalArgumentException ex) {
					throw Problem.badRequest("The path has an invalid percent-encoding");
				}
			}
		}
		return new ApiRequest(request, segments, rawQuery);
	}

	public HttpServerRequest netty() {
		return this.request;
	}

	/** Who made the request, as the API's guard admitted it ({@link Caller#ANONYMOUS} with security off). */
	public Caller caller() {
		return this.caller;
	}

	public void caller(Caller caller) {
		this.caller = caller;
	}

	/** Where an {@link Offload}ed endpoint runs, {@code null} for the event loop. */
	Scheduler worker() {
		return this.worker;
	}

	void worker(Scheduler worker) {
		this.worker = worker;
	}

	String[] segments() {
		return this.segments;
	}

	public String method() {
		return this.request.method().name();
	}

	public HttpHeaders headers() {
		return this.request.requestHeaders();
	}

	void matched(Map<String, Integer> routeVariables) {
		this.variables = routeVariables;
	}

	/**
	 * A decoded path segment that the matched route names {@code {name}}: client text, to be
	 * validated by the endpoint that reads it.
	 */
	public String pathVariable(String name) {
		Integer position = this.variables.get(name);
		if (position == null) {
			throw new IllegalArgumentException("The route has no path variable '" + name + "'");
		}
		return this.segments[position];
	}

	public Map<String, List<String>> query() {
		if (this.query == null) {
			if (this.rawQuery == null || this.rawQuery.isEmpty()) {
				this.query = Map.of();
			}
			else {
				try {
					this.query = new QueryStringDecoder(this.rawQuery, StandardCharsets.UTF_8, false).parameters();
				}
				catch (IllegalArgumentException ex) {
					throw Problem.badRequest("The query string has an invalid percent-encoding");
				}
			}
		}
		return this.query;
	}

	/** Rejects query parameters the endpoint does not know. */
	public void allowQuery(Set<String> allowed) {
		if (this.rawQuery == null) {
			return;
		}
		for (String name : query().keySet()) {
			if (!allowed.contains(name)) {
				String known = allowed.isEmpty() ? "this endpoint takes none" : "known ones are " + new TreeSet<>(allowed);
				throw new InvalidInputException(ClientText.printable(name), "is not a known query parameter; " + known);
			}
		}
	}

	/** The single value of an optional query parameter. */
	public String singleQueryValue(String name) {
		List<String> values = query().get(name);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			throw new InvalidInputException(name, "may be given only once");
		}
		return values.get(0);
	}

	/** Rejects a request that carries a body where the endpoint takes none. */
	public void requireNoBody() {
		HttpHeaders headers = headers();
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if ((length != null && !"0".equals(length)) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
			throw Problem.badRequest("This endpoint takes no request body");
		}
	}

	/** Answers 406 unless the client accepts {@code produced}. */
	public void requireAccepts(MediaType produced) {
		List<String> accept = headers().getAll(HttpHeaderNames.ACCEPT);
		if (accept.isEmpty()) {
			return;
		}
		// What nearly every client sends, answered without parsing.
		if (accept.size() == 1 && ("*/*".equals(accept.get(0)) || produced.toString().equals(accept.get(0)))) {
			return;
		}
		List<MediaType> acceptable;
		try {
			acceptable = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			throw Problem.badRequest("The Accept header is not a valid list of media types");
		}
		for (MediaType type : acceptable) {
			if (type.isCompatibleWith(produced)) {
				return;
			}
		}
		throw Problem.notAcceptable("This endpoint produces " + produced + ", which the Accept header excludes");
	}

	/** The {@code Last-Event-ID} header of a resuming watcher: a registry index. */
	public OptionalLong lastEventId() {
		List<String> values = headers().getAll("Last-Event-ID");
		if (values.isEmpty()) {
			return OptionalLong.empty();
		}
		String value = values.get(0).trim();
		boolean digits = !value.isEmpty() && value.length() <= 18
				&& value.chars().allMatch((c) -> c >= '0' && c <= '9');
		if (values.size() > 1 || !digits) {
			throw new InvalidInputException("Last-Event-ID",
					"must be one registry index: a non-negative integer of at most 18 digits (got "
							+ ClientText.quote(values.get(0)) + ")");
		}
		return OptionalLong.of(Long.parseLong(value));
	}

	/**
	 * The {@code Beacon-Write-Seq} header of a register or status update: the client's number for
	 * this write, so a late one cannot undo a newer one; {@link Registry#UNSEQUENCED} when absent.
	 */
	public long writeSeq() {
		List<String> values = headers().getAll(WRITE_SEQ_HEADER);
		if (values.isEmpty()) {
			return Registry.UNSEQUENCED;
		}
		String value = values.get(0).trim();
		long seq = 0;
		if (values.size() == 1 && !value.isEmpty() && value.length() <= 19
				&& value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			try {
				seq = Long.parseLong(value);
			}
			catch (NumberFormatException ex) {
				seq = 0;
			}
		}
		if (seq <= 0) {
			throw new InvalidInputException(WRITE_SEQ_HEADER,
					"must be one write sequence: a positive decimal integer below 2^63 (got "
							+ ClientText.quote(values.get(0)) + ((values.size() > 1) ? " and more" : "") + ")");
		}
		return seq;
	}

}
