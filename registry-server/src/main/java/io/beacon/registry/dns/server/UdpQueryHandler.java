package io.beacon.registry.dns.server;

import io.beacon.registry.dns.DnsResponder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each datagram with at most one datagram to its sender.
 */
@ChannelHandler.Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {

	private static final Logger logger = LoggerFactory.getLogger(UdpQueryHandler.class);

	private final DnsResponder responder;

	UdpQueryHandler(DnsResponder responder) {
		this.responder = responder;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
		if (packet.sender() == null || packet.sender().getPort() == 0) {
			return;
		}
		byte[] answer = this.responder.respond(ByteBufUtil.getBytes(packet.content()), DnsResponder.Transport.UDP);
		if (answer != null) {
			ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(answer), packet.sender()), ctx.voidPromise());
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		ctx.flush();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// A failed send (such as ICMP port unreachable from a client that left) must not close the socket.
		logger.debug("DNS over UDP: {}", cause.toString());
	}

}
