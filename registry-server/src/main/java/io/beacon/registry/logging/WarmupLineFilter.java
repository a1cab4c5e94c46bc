package io.beacon.registry.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the lines logged while the registry warms its watch path up after start-up (logged with the MDC key
 * {@value #MDC_KEY}): they are about a private registry no client ever sees, and would read like
 * registrations and status changes of the real one.
 */
public final class WarmupLineFilter extends Filter<ILoggingEvent> {

	/** The MDC key the warm-up sets on its thread while it runs. */
	public static final String MDC_KEY = "beacon.warmup";

	@Override
	public FilterReply decide(ILoggingEvent event) {
		return event.getMDCPropertyMap().containsKey(MDC_KEY) ? FilterReply.DENY : FilterReply.NEUTRAL;
	}

}
