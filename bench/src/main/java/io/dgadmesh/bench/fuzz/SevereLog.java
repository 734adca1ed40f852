package io.dgadmesh.bench.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The node's SEVERE log records while the doors are fuzzed: an unhandled exception is a crash of
 * the part it happened in, even when every answer looked right.
 */
final class SevereLog extends Handler implements AutoCloseable {
  private final List<String> records = new ArrayList<>();
  private final Logger root = LogManager.getLogManager().getLogger("");

  SevereLog() {
    setLevel(Level.SEVERE);
    root.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord r) {
    if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
      Throwable t = r.getThrown();
      records.add(r.getLoggerName() + ": " + r.getMessage() + (t == null ? "" : " (" + t + where(t) + ")"));
    }
  }

  /** The first frames of the project's own code or of Vert.x gRPC: where to look. */
  private static String where(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      String c = e.getClassName();
      if ((c.startsWith("io.dgadmesh") || c.startsWith("io.vertx.grpc")) && b.length() < 400) {
        b.append(" at ").append(e);
      }
    }
    return b.toString();
  }

  synchronized List<String> records() {
    return List.copyOf(records);
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
