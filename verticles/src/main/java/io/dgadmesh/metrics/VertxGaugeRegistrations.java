package io.dgadmesh.metrics;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps one false alarm out of the node's log. vertx-micrometer-metrics 5.0.7 registers a gauge
 * again for every event-bus handler, pool and socket it meters ({@code vertx.eventbus.handlers}
 * once per consumer); each registration returns the one gauge of that id, and the value behind it is
 * one per registry and id, whichever Vert.x instance counts into it ({@code MicrometerMetricsFactory},
 * {@code LongGaugeBuilder}). Micrometer 1.13.9 and later log the second registration of a gauge
 * as a WARNING ("This Gauge has been already registered"), which every node printed at start-up.
 * Upstream: vert-x3/vertx-micrometer-metrics#259. The filter drops that record for {@code vertx.*}
 * gauges only; the same warning about any other meter still reaches the log.
 */
final class VertxGaugeRegistrations implements Filter {

  static final String WARNING = "This Gauge has been already registered (MeterId{name='vertx.";

  /** Micrometer's logger. Held here: java.util.logging keeps loggers weakly, and a filter with them. */
  static final Logger MICROMETER = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  private final Filter next;

  private VertxGaugeRegistrations(Filter next) {
    this.next = next;
  }

  static void quiet() {
    synchronized (MICROMETER) {
      if (!(MICROMETER.getFilter() instanceof VertxGaugeRegistrations)) {
        MICROMETER.setFilter(new VertxGaugeRegistrations(MICROMETER.getFilter()));
      }
    }
  }

  @Override
  public boolean isLoggable(LogRecord r) {
    if (r.getMessage() != null && r.getMessage().startsWith(WARNING)) {
      return false;
    }
    return next == null || next.isLoggable(r);
  }
}
