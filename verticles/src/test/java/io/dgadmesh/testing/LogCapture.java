package io.dgadmesh.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages one logger publishes at {@code atLeast} or above while the capture is open. */
public final class LogCapture extends Handler implements AutoCloseable {

  /** Held here: java.util.logging keeps loggers weakly, and their handlers with them. */
  private final Logger logger;
  private final Level atLeast;
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger, Level atLeast) {
    this.logger = logger;
    this.atLeast = atLeast;
  }

  public static LogCapture of(String logger, Level atLeast) {
    LogCapture c = new LogCapture(Logger.getLogger(logger), atLeast);
    c.logger.addHandler(c);
    return c;
  }

  /** What was published so far, in order; a live view safe to read from any thread. */
  public List<String> messages() {
    return messages;
  }

  @Override
  public void publish(LogRecord r) {
    if (r.getLevel().intValue() >= atLeast.intValue()) {
      messages.add(r.getMessage());
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
