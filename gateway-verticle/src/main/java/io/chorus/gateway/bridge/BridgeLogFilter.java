package io.chorus.gateway.bridge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Vert.x's bridge logs at ERROR some frames that only a client got wrong (an unknown frame type, a reply
 * address over 36 characters), and the unknown type's text goes into the line as the client wrote it. Those
 * lines are dropped here and written at DEBUG by the gateway instead: inputs a client controls never log at
 * ERROR. The client gets its {@code err} frame ({@code invalid_type}, {@code invalid_reply_address}) as before.
 */
public final class BridgeLogFilter extends TurboFilter {
  static final String BRIDGE_LOGGER = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  private static final String NAME = "chorus-bridge-client-errors";
  private static final List<String> CLIENT_CAUSED = List.of(
      "Invalid type in incoming message", "Will not send message, reply address is > 36 chars");
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(BridgeRules.class);

  /** Adds the filter to Logback once per JVM (several gateways may run in one, as in the tests). */
  public static void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    // Gateways in one JVM may start at once, on different threads: the check and the add must be one step.
    synchronized (BridgeLogFilter.class) {
      if (context.getTurboFilterList().stream().noneMatch(f -> NAME.equals(f.getName()))) {
        BridgeLogFilter filter = new BridgeLogFilter();
        filter.setName(NAME);
        filter.start();
        context.addTurboFilter(filter);
      }
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || format == null || !BRIDGE_LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    for (String message : CLIENT_CAUSED) {
      if (format.startsWith(message)) {
        log.debug("frame refused by the bridge: {}", message);
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
