package io.beacon.registry.dns.server;

import io.beacon.registry.dns.DnsResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each length-prefixed query on a TCP connection (RFC 7766: several per connection, in
 * order). A query that is to be dropped, an error or an idle connection closes the connection.
 */
@ChannelHandler.Sharable
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {

	private static final Logger logger = LoggerFactory.getLogger(TcpQueryHandler.class);

	private final DnsResponder responder;

	TcpQueryHandler(DnsResponder responder) {
		this.responder = responder;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
		byte[] answer = this.responder.respond(ByteBufUtil.getBytes(frame), DnsResponder.Transport.TCP);
		if (answer == null) {
			ctx.flush();
			ctx.close();
			return;
		}
		ctx.write(Unpooled.wrappedBuffer(answer), ctx.voidPromise());
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		ctx.flush();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof IdleStateEvent) {
			ctx.close();
		}
		else {
			ctx.fireUserEventTriggered(event);
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Such as a length prefix over the limit, or a reset by the peer.
		logger.debug("DNS over TCP from {}: {}", ctx.channel().remoteAddress(), cause.toString());
		ctx.close();
	}

}
