package io.beacon.registry.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends raw bytes to the server and reads one HTTP/1.1 response: for requests no well-behaved
 * client would send.
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * @return the response, or {@code null} when the server closed the connection without one
	 */
	static Response exchange(int port, byte[] request, int timeoutMillis) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(timeoutMillis);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer and close before it read everything: read what it said.
			}
			return read(socket.getInputStream());
		}
	}

	static Response exchange(int port, String request) throws IOException {
		return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), 15_000);
	}

	private static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		int b;
		try {
			while (matched < 4 && (b = in.read()) != -1) {
				head.write(b);
				matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
			}
		}
		catch (SocketTimeoutException | java.net.SocketException ex) {
			return head.size() == 0 ? null : parseHead(head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
		}
		if (head.size() == 0) {
			return null;
		}
		String headText = head.toString(StandardCharsets.ISO_8859_1);
		Response partial = parseHead(headText, new byte[0]);
		String length = partial.headers.get("content-length");
		byte[] body = new byte[0];
		if (length != null) {
			body = in.readNBytes(Integer.parseInt(length.trim()));
		}
		return parseHead(headText, body);
	}

	private static Response parseHead(String head, byte[] body) {
		String[] lines = head.split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	record Response(int status, Map<String, String> headers, String body) {
	}

}
