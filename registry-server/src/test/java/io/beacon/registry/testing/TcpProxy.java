package io.beacon.registry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on loopback to a target port that a test can cut: it drops every open connection and
 * refuses new ones until it is opened again. It lets a test break a client's long-lived stream while
 * the server behind it keeps running, as a network failure would. Shared with the system tests
 * (through this module's test jar).
 */
public final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	public TcpProxy(int targetPort) {
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.threads.execute(this::accept);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Closes every relayed connection and refuses new ones (they are closed at once). */
	public void cut() {
		this.cut = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	/** Relays new connections again. */
	public void restore() {
		this.cut = false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 5_000);
				this.open.add(client);
				this.open.add(upstream);
				this.threads.execute(() -> pump(client, upstream));
				this.threads.execute(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				// the server socket was closed, or one connection failed: the client sees it closed
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// either side closed: close both below
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.open.remove(from);
			this.open.remove(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		cut();
		this.threads.shutdownNow();
	}

}
