package io.dgadmesh.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** dgad_model_info{version} 1 for each version a classifier instance serves, as long as one serves it. */
class ModelInfoGaugeTest {

  @Test
  void countsInstancesPerVersionAndDropsAVersionNoneServes() {
    String v = "0.0.1-gauge-test@000000000001";
    NodeMetrics.modelServed(v, 1);
    NodeMetrics.modelServed(v, 1);
    String scrape = NodeMetrics.registry().scrape();
    assertTrue(scrape.contains("dgad_model_info{version=\"" + v + "\"} 1"), scrape);
    NodeMetrics.modelServed(v, -1);
    assertTrue(NodeMetrics.registry().scrape().contains(v), "one instance still serves it");
    NodeMetrics.modelServed(v, -1);
    assertFalse(NodeMetrics.registry().scrape().contains(v));
    NodeMetrics.modelServed(v, 1);
    assertTrue(NodeMetrics.registry().scrape().contains("dgad_model_info{version=\"" + v + "\"} 1"));
    NodeMetrics.modelServed(v, -1);
    assertFalse(NodeMetrics.registry().scrape().contains(v));
  }
}
