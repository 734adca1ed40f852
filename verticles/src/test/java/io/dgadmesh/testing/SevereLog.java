package io.dgadmesh.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what this JVM logs at SEVERE while it is open: a test asserts the node logged none. */
public final class SevereLog extends Handler implements AutoCloseable {

  private final List<LogRecord> records = new ArrayList<>();

  private SevereLog() {}

  public static SevereLog open() {
    SevereLog log = new SevereLog();
    Logger.getLogger("").addHandler(log);
    return log;
  }

  @Override
  public void publish(LogRecord r) {
    if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
      synchronized (records) {
        records.add(r);
      }
    }
  }

  /** Each record as its logger, message and exception: readable in an assertion's failure. */
  public List<String> records() {
    synchronized (records) {
      return records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown()).toList();
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
