package io.dgadmesh.classifier;

import io.dgadmesh.metrics.Readiness;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classifier instances of a node that are stuck, as one readiness check, "classifier": the node
 * is not ready while one of them is, even though the others still answer the probes. One per
 * Vert.x instance, in its local shared data; instances report on their own event loops.
 */
final class ClassifierHealth implements Shareable {

  static final String CHECK = "classifier";

  private final Map<String, String> stuck = new ConcurrentHashMap<>();

  static ClassifierHealth of(Vertx vertx) {
    ClassifierHealth h = (ClassifierHealth) vertx.sharedData().getLocalMap("dgad.classifier")
        .computeIfAbsent("health", k -> new ClassifierHealth());
    Readiness.of(vertx).register(CHECK, h::problem); // the same check each time: registering again replaces it
    return h;
  }

  void stuck(String instance, String why) {
    stuck.put(instance, why);
  }

  void fine(String instance) {
    stuck.remove(instance);
  }

  /** Null when no instance is stuck, else what each stuck one is doing. */
  String problem() {
    if (stuck.isEmpty()) {
      return null;
    }
    return String.join("; ", new TreeMap<>(stuck).values());
  }
}
