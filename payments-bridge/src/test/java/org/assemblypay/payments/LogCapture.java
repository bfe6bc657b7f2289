package org.assemblypay.payments;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/** Captures every log event of the project while open, rendered with its key-value pairs. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("org.assemblypay");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Starts capturing. */
  public LogCapture() {
    appender.start();
    logger.addAppender(appender);
  }

  /** Each captured event as one line: level, message, key=value pairs, arguments, cause. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(appender.list)) {
      StringBuilder line = new StringBuilder();
      line.append(event.getLevel()).append(' ').append(event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        event
            .getKeyValuePairs()
            .forEach(kv -> line.append(' ').append(kv.key).append('=').append(kv.value));
      }
      if (event.getArgumentArray() != null) {
        for (Object argument : event.getArgumentArray()) {
          line.append(' ').append(Objects.toString(argument));
        }
      }
      if (event.getThrowableProxy() != null) {
        line.append(' ').append(event.getThrowableProxy().getMessage());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
