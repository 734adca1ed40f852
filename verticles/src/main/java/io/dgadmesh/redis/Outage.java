package io.dgadmesh.redis;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Something a caller depends on (Redis, the classifier) being down: logs the start and the end of
 * an outage once, however many calls fail in between, and runs a step when it is over.
 */
final class Outage {
  private final Logger log;
  private final String what;
  private final Runnable onRecovered;
  private volatile boolean down;
  private volatile long since;
  private long count;
  private volatile Throwable lastError;

  /** {@code log} is the owner's, so the lines name the door that waits. */
  Outage(Logger log, String what, Runnable onRecovered) {
    this.log = log;
    this.what = what;
    this.onRecovered = onRecovered;
  }

  String what() {
    return what;
  }

  boolean isDown() {
    return down;
  }

  /** When the current outage began (epoch ms); meaningful while {@link #isDown()}. */
  long since() {
    return since;
  }

  /** The failure that began or continues the current outage; null before the first. */
  Throwable lastError() {
    return lastError;
  }

  /** How many outages there have been. */
  long count() {
    return count;
  }

  void failed(Throwable err) {
    lastError = err;
    if (!down) {
      down = true;
      since = System.currentTimeMillis();
      count++;
      log.warning(what + " unavailable: " + err.getMessage() + "; retrying with back-off");
    }
  }

  void ok() {
    if (down) {
      down = false;
      long ms = System.currentTimeMillis() - since;
      log.log(Level.INFO, what + " available again after " + ms + " ms; resuming");
      onRecovered.run();
    }
  }
}
