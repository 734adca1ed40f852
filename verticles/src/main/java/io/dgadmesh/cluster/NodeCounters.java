package io.dgadmesh.cluster;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one node (one Vert.x instance), shared by all its classifier instances:
 * names classified, DGA verdicts, per family. Read by the registry refresher every second.
 */
public final class NodeCounters implements Shareable {

  private final LongAdder classified = new LongAdder();
  private final LongAdder dga = new LongAdder();
  private final Map<String, AtomicLong> families = new ConcurrentHashMap<>();
  private final LongAdder classifyRetries = new LongAdder();

  /** The counters of this Vert.x instance (created on first use). */
  public static NodeCounters of(Vertx vertx) {
    return (NodeCounters) vertx.sharedData().getLocalMap("dgad.node").computeIfAbsent("counters", k -> new NodeCounters());
  }

  public void count(List<Bus.Result> results) {
    long ok = 0;
    long bad = 0;
    for (Bus.Result r : results) {
      if (!r.ok()) {
        continue;
      }
      ok++;
      if (r.isDga()) {
        bad++;
        if (r.family() != null) {
          families.computeIfAbsent(r.family(), f -> new AtomicLong()).incrementAndGet();
        }
      }
    }
    classified.add(ok);
    dga.add(bad);
  }

  /** A classify request of this node's worker failed (reply timeout, no classifier) and is retried. */
  public void retried() {
    classifyRetries.increment();
  }

  public long classifyRetries() {
    return classifyRetries.sum();
  }

  public long classified() {
    return classified.sum();
  }

  public long dga() {
    return dga.sum();
  }

  public JsonObject families() {
    JsonObject j = new JsonObject();
    families.forEach((f, n) -> j.put(f, n.get()));
    return j;
  }
}
