package io.dgadmesh.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The model version each classifier instance of this node serves, and the operating point it
 * judges at, told by the instances as they
 * load and swap models: the node registry carries it to the cluster view, and
 * {@code dgad_model_info{version}} counts the instances serving each version. One per Vert.x
 * instance (a node), in its local shared data; called on the instances' event loops.
 */
public final class ServedModels implements Shareable {

  /** What one classifier instance serves. */
  private record Served(String version, String point) {}

  private final Map<String, Served> byInstance = new ConcurrentHashMap<>();

  public static ServedModels of(Vertx vertx) {
    return (ServedModels) vertx.sharedData().getLocalMap("dgad.node").computeIfAbsent("models", k -> new ServedModels());
  }

  /** Classifier instance {@code instance} serves {@code version}, judging at operating point {@code point}, from now on. */
  public void serve(String instance, String version, String point) {
    Served before = byInstance.put(instance, new Served(version, point));
    if (before == null || !version.equals(before.version())) {
      NodeMetrics.modelServed(version, 1);
      if (before != null) {
        NodeMetrics.modelServed(before.version(), -1);
      }
    }
  }

  /** Classifier instance {@code instance} has stopped. */
  public void gone(String instance) {
    Served before = byInstance.remove(instance);
    if (before != null) {
      NodeMetrics.modelServed(before.version(), -1);
    }
  }

  /** The operating points judging, sorted and joined by ", " (one: a node's instances share their settings); "" when none. */
  public String points() {
    return joined(Served::point);
  }

  /** The versions served, sorted and joined by ", " (one, except while instances switch); "" when none. */
  public String versions() {
    return joined(Served::version);
  }

  private String joined(Function<Served, String> part) {
    TreeSet<String> distinct = new TreeSet<>();
    byInstance.values().forEach(s -> distinct.add(part.apply(s)));
    return String.join(", ", distinct);
  }
}
