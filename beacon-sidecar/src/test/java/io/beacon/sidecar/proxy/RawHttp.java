package io.beacon.sidecar.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand, for what the JDK client will not do: set Host, Connection or
 * Keep-Alive, or send a body in parts at moments the test chooses. Requests must say
 * {@code Connection: close}: the answer is read to the end of the stream.
 */
final class RawHttp {

	private RawHttp() {
	}

	static String exchange(int port, String request) throws IOException {
		try (Connection connection = open(port)) {
			connection.send(request);
			return connection.readAll();
		}
	}

	static Connection open(int port) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(30_000);
		return new Connection(socket);
	}

	/**
	 * One connection to write to in parts.
	 */
	static final class Connection implements AutoCloseable {

		private final Socket socket;

		private Connection(Socket socket) {
			this.socket = socket;
		}

		void send(String text) throws IOException {
			this.socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
			this.socket.getOutputStream().flush();
		}

		/** One line of the answer, without its CRLF. */
		String readLine() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int c = this.socket.getInputStream().read(); c != -1 && c != '\n'; c = this.socket.getInputStream().read()) {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

		String readAll() throws IOException {
			return new String(this.socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
