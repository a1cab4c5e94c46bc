package io.beacon.registry.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket implementation: Linux's epoll where Netty's native library loads (as Reactor Netty
 * does for the HTTP port), Java NIO elsewhere. Netty's own {@code -Dio.netty.transport.noNative=true}
 * forces NIO; bench/dns-perf.sh compares the two.
 *
 * @param name how the transport is named in the log
 * @param ioHandler the event loop's I/O handler
 * @param datagramChannel the UDP socket class
 * @param serverChannel the TCP listening socket class
 */
record SocketTransport(String name, IoHandlerFactory ioHandler, Class<? extends DatagramChannel> datagramChannel,
		Class<? extends ServerChannel> serverChannel) {

	/**
	 * Largest query read over UDP with epoll's batched reads; a longer one is cut and answered
	 * FORMERR. Real queries are a few dozen bytes (a name of at most 255, an EDNS record).
	 */
	static final int MAX_UDP_QUERY = 4096;

	/** How many datagrams one epoll read may take (recvmmsg); answers go out batched too (sendmmsg). */
	static final int DATAGRAMS_PER_READ = 32;

	static SocketTransport best() {
		if (Epoll.isAvailable()) {
			return new SocketTransport("epoll", EpollIoHandler.newFactory(), EpollDatagramChannel.class,
					EpollServerSocketChannel.class);
		}
		return new SocketTransport("nio", NioIoHandler.newFactory(), NioDatagramChannel.class,
				NioServerSocketChannel.class);
	}

	/** Socket options of the UDP socket: with epoll, several datagrams per system call. */
	Bootstrap configureUdp(Bootstrap bootstrap) {
		if (this.datagramChannel == EpollDatagramChannel.class) {
			return bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
				.option(ChannelOption.RCVBUF_ALLOCATOR,
						new FixedRecvByteBufAllocator(MAX_UDP_QUERY * DATAGRAMS_PER_READ));
		}
		return bootstrap;
	}

}
