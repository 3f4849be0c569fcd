package io.chorus.systemtests.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what this JVM logs at WARN and above while it is open (the cluster runs in the test's JVM), so a
 * test can check that inputs a client controls never log at ERROR or with a stack trace.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  public static LogCapture capture() {
    LogCapture capture = new LogCapture();
    capture.setName("test-capture");
    capture.start();
    root().addAppender(capture);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      events.add(event);
    }
  }

  /** ERROR lines, and WARN lines with a stack trace, from Chorus, Vert.x or Netty. */
  public List<String> errorsOrStackTraces() {
    return events.stream()
        .filter(e -> e.getLevel() == Level.ERROR || (e.getThrowableProxy() != null
            && (e.getLoggerName().startsWith("io.chorus") || e.getLoggerName().startsWith("io.vertx")
            || e.getLoggerName().startsWith("io.netty"))))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
        .toList();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
