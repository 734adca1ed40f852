package io.dgadmesh.metrics;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The readiness check "heap" (issue 12: readiness tells the truth). */
class HeapCheckTest {

  @Test
  void reportsAHeapAboveItsShareAfterACollection() {
    byte[] kept = new byte[(int) Math.min(Runtime.getRuntime().maxMemory() / 20, 64 << 20)]; // 5% of the heap
    System.gc(); // a collection, so that every heap pool has its usage after one
    assertTrue(new HeapCheck(100).usedAfterCollection() >= kept.length);
    String problem = new HeapCheck(1).get();
    assertNotNull(problem, "this JVM keeps more than 1% of its heap");
    assertTrue(problem.contains("after the last collection") && problem.contains("web.readyHeapPercent"), problem);
    assertNull(new HeapCheck(100).get(), "never above 100%");
    java.lang.ref.Reference.reachabilityFence(kept);
  }
}
