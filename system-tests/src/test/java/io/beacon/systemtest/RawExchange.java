package io.beacon.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes raw bytes on a fresh connection (optionally leaving the request unfinished) and reads what
 * comes back until the server closes, the response is complete, or the wait ends.
 */
final class RawExchange {

	private RawExchange() {
	}

	/**
	 * @param keepOpen leave the connection open after writing (a half-sent request)
	 * @param waitMillis how long to wait for an answer
	 */
	static Outcome send(int port, byte[] request, boolean keepOpen, int waitMillis) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(waitMillis);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
				if (!keepOpen) {
					socket.shutdownOutput();
				}
			}
			catch (IOException resetWhileWriting) {
				// the server may reject early and close while we still write
			}
			return read(socket);
		}
	}

	private static Outcome read(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		boolean closed = false;
		try {
			int n;
			while ((n = in.read(buffer)) != -1) {
				received.write(buffer, 0, n);
				if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
					// a complete answer: does the server also close the connection?
					socket.setSoTimeout(1_000);
					n = in.read(buffer);
					break;
				}
			}
			closed = (n == -1);
		}
		catch (SocketTimeoutException ex) {
			closed = false;
		}
		catch (IOException reset) {
			closed = true;
		}
		return Outcome.of(received.toString(StandardCharsets.ISO_8859_1), closed);
	}

	private static boolean complete(String text) {
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		String head = text.substring(0, end).toLowerCase(Locale.ROOT);
		int at = head.indexOf("content-length:");
		if (at < 0) {
			return head.startsWith("http/1.1 204") || head.contains("connection: close") == false;
		}
		int lineEnd = head.indexOf("\r\n", at);
		int length = Integer.parseInt(head.substring(at + 15, (lineEnd < 0) ? head.length() : lineEnd).trim());
		return text.length() - (end + 4) >= length;
	}

	/**
	 * What the server did.
	 *
	 * @param status the response status, or 0 when none came
	 * @param contentType the response content type, or {@code null}
	 * @param body the response body
	 * @param closed whether the server closed the connection
	 */
	record Outcome(int status, String contentType, String body, boolean closed) {

		static Outcome of(String text, boolean closed) {
			if (!text.startsWith("HTTP/")) {
				return new Outcome(0, null, "", closed);
			}
			int end = text.indexOf("\r\n\r\n");
			String head = (end >= 0) ? text.substring(0, end) : text;
			int status = Integer.parseInt(head.split(" ", 3)[1]);
			String contentType = null;
			for (String line : head.split("\r\n")) {
				if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
					contentType = line.substring(13).trim();
				}
			}
			return new Outcome(status, contentType, (end >= 0) ? text.substring(end + 4) : "", closed);
		}

	}

}
