package io.dgadmesh.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What makes this node not ready, reported by the parts that know: a stuck classifier, an
 * exhausted Redis pool, a stalled door, a heap near its end. {@code /health/ready} and gRPC health
 * read it, so readiness tells the truth about parts the probes do not call. One per Vert.x
 * instance (a node), in its local shared data.
 */
public final class Readiness implements Shareable {

  private final Map<String, Supplier<String>> checks = new ConcurrentHashMap<>();

  public static Readiness of(Vertx vertx) {
    return (Readiness) vertx.sharedData().getLocalMap("dgad.node").computeIfAbsent("readiness", k -> new Readiness());
  }

  /**
   * Registers (or replaces) a check under {@code name}: it answers null when all is well, else the
   * problem in words. Called on any thread; must be cheap and must not block.
   */
  public void register(String name, Supplier<String> check) {
    checks.put(name, check);
  }

  public void unregister(String name) {
    checks.remove(name);
  }

  /** The problems now, by check name; empty when ready. */
  public Map<String, String> problems() {
    Map<String, String> out = new TreeMap<>();
    checks.forEach((name, check) -> {
      String problem;
      try {
        problem = check.get();
      } catch (RuntimeException e) {
        problem = "check failed: " + e;
      }
      if (problem != null) {
        out.put(name, problem);
      }
    });
    return out;
  }
}
