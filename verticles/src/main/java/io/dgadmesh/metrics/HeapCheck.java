package io.dgadmesh.metrics;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link Readiness} check "heap": not ready while the heap still holds more than a share of its
 * maximum right after a collection. Heap in use between collections says little (garbage counts
 * too); what survives a collection is what the node keeps, and a node near its end there answers
 * slowly, then with "Java heap space". Read from each heap pool's usage after its last collection
 * (the JVM updates the old generation's when it collects it), so the check costs no collection.
 */
public final class HeapCheck implements Supplier<String> {

  /** The check's name in {@link Readiness}. */
  public static final String NAME = "heap";

  private final int percent;
  private final List<MemoryPoolMXBean> pools;

  /** Not ready above {@code percent} of the maximum heap after a collection (100: never). */
  public HeapCheck(int percent) {
    this.percent = percent;
    this.pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  /** Registers the check for the node of {@code vertx} (replacing an earlier one). */
  public static void register(Vertx vertx, int percent) {
    Readiness.of(vertx).register(NAME, new HeapCheck(percent));
  }

  /** Bytes of heap in use after the last collection of each heap pool. */
  public long usedAfterCollection() {
    long used = 0;
    for (MemoryPoolMXBean p : pools) {
      MemoryUsage u = p.getCollectionUsage();
      if (u != null) {
        used += u.getUsed();
      }
    }
    return used;
  }

  @Override
  public String get() {
    long max = Runtime.getRuntime().maxMemory();
    long used = usedAfterCollection();
    if (max <= 0 || max == Long.MAX_VALUE || used * 100 <= (long) percent * max) {
      return null;
    }
    return "the heap holds " + (used >> 20) + " of " + (max >> 20) + " MB (" + (used * 100 / max)
        + "%) after the last collection; ready below " + percent + "% (web.readyHeapPercent)";
  }
}
