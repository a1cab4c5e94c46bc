package io.beacon.registry.dns.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.beacon.registry.dns.DnsResponder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Serves a {@link DnsResponder} over UDP and TCP on one port, on one event-loop thread it owns.
 * <p>
 * One thread is enough: an answer is a few map reads and a few hundred bytes written, and a UDP
 * socket is served by one thread whatever the group's size. Plain Java NIO: Linux epoll, even
 * reading and writing 32 datagrams per system call, measured no faster (BENCHMARKS.md, DNS).
 */
public final class DnsServer {

	/** How many times a random port is tried when its TCP side turns out to be taken. */
	private static final int PORT_ATTEMPTS = 10;

	/** Largest number of TCP connections waiting to be accepted. */
	private static final int TCP_BACKLOG = 128;

	private final DnsResponder responder;

	private final InetAddress bind;

	private final int port;

	private final Duration tcpIdleTimeout;

	private EventLoopGroup group;

	private Channel udp;

	private Channel tcp;

	/**
	 * @param responder answers the queries
	 * @param bind the address to listen on
	 * @param port the UDP and TCP port, 0 for a free one
	 * @param tcpIdleTimeout how long a TCP connection may stay idle before it is closed
	 */
	public DnsServer(DnsResponder responder, InetAddress bind, int port, Duration tcpIdleTimeout) {
		this.responder = responder;
		this.bind = bind;
		this.port = port;
		this.tcpIdleTimeout = tcpIdleTimeout;
	}

	/**
	 * Binds the UDP and TCP sockets.
	 * @throws DnsServerException when the port cannot be bound
	 */
	public synchronized void start() {
		if (this.group != null) {
			return;
		}
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("beacon-dns", true),
				NioIoHandler.newFactory());
		try {
			bind();
		}
		catch (RuntimeException ex) {
			stop();
			throw ex;
		}
	}

	private void bind() {
		UdpQueryHandler udpHandler = new UdpQueryHandler(this.responder);
		TcpQueryHandler tcpHandler = new TcpQueryHandler(this.responder);
		for (int attempt = 1;; attempt++) {
			this.udp = bindUdp(udpHandler);
			int bound = ((InetSocketAddress) this.udp.localAddress()).getPort();
			try {
				this.tcp = bindTcp(tcpHandler, bound);
				return;
			}
			catch (DnsServerException ex) {
				this.udp.close().syncUninterruptibly();
				this.udp = null;
				if (this.port != 0 || attempt == PORT_ATTEMPTS) {
					throw ex;
				}
			}
		}
	}

	private Channel bindUdp(UdpQueryHandler handler) {
		Bootstrap bootstrap = new Bootstrap().group(this.group).channel(NioDatagramChannel.class).handler(handler);
		return bindOrFail(bootstrap.bind(this.bind, this.port), "UDP", this.port);
	}

	private Channel bindTcp(TcpQueryHandler handler, int tcpPort) {
		long idleMillis = this.tcpIdleTimeout.toMillis();
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, TCP_BACKLOG)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
						.addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
						.addLast(new LengthFieldPrepender(2))
						.addLast(handler);
				}
			});
		return bindOrFail(bootstrap.bind(this.bind, tcpPort), "TCP", tcpPort);
	}

	private Channel bindOrFail(ChannelFuture future, String protocol, int port) {
		future.awaitUninterruptibly();
		if (!future.isSuccess()) {
			throw new DnsServerException("Cannot listen for DNS on " + protocol + " " + this.bind.getHostAddress() + ":"
					+ port + " (" + future.cause().getMessage() + "); set beacon.registry.dns.port or .bind",
					future.cause());
		}
		return future.channel();
	}

	/** Closes the sockets and stops the event loop; queries in flight are dropped. */
	public synchronized void stop() {
		if (this.group == null) {
			return;
		}
		if (this.udp != null) {
			this.udp.close().syncUninterruptibly();
		}
		if (this.tcp != null) {
			this.tcp.close().syncUninterruptibly();
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		this.group = null;
		this.udp = null;
		this.tcp = null;
	}

	public synchronized boolean isRunning() {
		return this.group != null;
	}

	/**
	 * The port both sockets listen on.
	 * @throws IllegalStateException when the server is not running
	 */
	public synchronized int port() {
		if (this.udp == null) {
			throw new IllegalStateException("The DNS server is not running");
		}
		return ((InetSocketAddress) this.udp.localAddress()).getPort();
	}

}
