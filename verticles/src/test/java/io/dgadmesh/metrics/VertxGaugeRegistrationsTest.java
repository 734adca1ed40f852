package io.dgadmesh.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.node.Node;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's warning about a second registration of a {@code vertx.*} gauge is dropped, because
 * each registration is the one series (the count below moves with every consumer); the warning
 * about any other meter is kept.
 */
class VertxGaugeRegistrationsTest {

  @Test
  void theWarningIsDroppedForVertxGaugesOnly() {
    NodeMetrics.registry(); // installs the filter
    var filter = VertxGaugeRegistrations.MICROMETER.getFilter();
    assertFalse(filter.isLoggable(warning("vertx.eventbus.handlers")));
    assertFalse(filter.isLoggable(warning("vertx.pool.queue.pending")));
    assertTrue(filter.isLoggable(warning("dgad.redis.queue.depth")));
    assertTrue(filter.isLoggable(new LogRecord(Level.WARNING, "something else")));
  }

  @Test
  void everyConsumerCountsInTheOneHandlersGauge() throws Exception {
    Vertx vertx = Node.builder(new VertxOptions()).build();
    try {
      double before = handlers();
      MessageConsumer<Object> a = vertx.eventBus().consumer("dgad.test.gauge.a", m -> { });
      MessageConsumer<Object> b = vertx.eventBus().consumer("dgad.test.gauge.b", m -> { });
      a.completion().await(10, TimeUnit.SECONDS);
      b.completion().await(10, TimeUnit.SECONDS);
      assertEquals(before + 2, handlers(), "the second registration's handler is counted too");
      a.unregister().await(10, TimeUnit.SECONDS);
      assertEquals(before + 1, handlers());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static double handlers() {
    Gauge g = NodeMetrics.registry().find("vertx.eventbus.handlers").gauge();
    return g == null ? 0 : g.value();
  }

  private static LogRecord warning(String meter) {
    return new LogRecord(Level.WARNING, "This Gauge has been already registered (MeterId{name='" + meter
        + "', tags=[]}), the registration will be ignored. Note that subsequent logs will be logged at debug level.");
  }
}
