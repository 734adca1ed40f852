package io.dgadmesh.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

/** Tag values a client could choose stay in a fixed set (issue 12, defect 7). */
class NodeMetricsTest {

  @Test
  void aMethodTagOutsideTheStandardOnesIsOther() {
    Counter made = Counter.builder("dgad.test.methods").tag("method", "BREW").register(NodeMetrics.registry());
    assertEquals("other", made.getId().getTag("method"));
    Counter get = Counter.builder("dgad.test.methods").tag("method", "GET").register(NodeMetrics.registry());
    assertEquals("GET", get.getId().getTag("method"));
  }
}
