package io.dgadmesh.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model version each classifier instance of this node serves, and the operating point it
 * judges at, told by the instances as they
 * load and swap models: the node registry carries it to the cluster view, and
 * {@code dgad_model_info{version}} counts the instances serving each version. One per Vert.x
 * instance (a node), in its local shared data; called on the instances' event loops.
 */
public final class ServedModels implements Shareable {

  private final Map<String, String> byInstance = new ConcurrentHashMap<>();
  private final Map<String, String> pointByInstance = new ConcurrentHashMap<>();

  public static ServedModels of(Vertx vertx) {
    return (ServedModels) vertx.sharedData().getLocalMap("dgad.node").computeIfAbsent("models", k -> new ServedModels());
  }

  /** Classifier instance {@code instance} serves {@code version}, judging at operating point {@code point}, from now on. */
  public void serve(String instance, String version, String point) {
    pointByInstance.put(instance, point);
    String before = byInstance.put(instance, version);
    if (!version.equals(before)) {
      NodeMetrics.modelServed(version, 1);
      if (before != null) {
        NodeMetrics.modelServed(before, -1);
      }
    }
  }

  /** Classifier instance {@code instance} has stopped. */
  public void gone(String instance) {
    pointByInstance.remove(instance);
    String before = byInstance.remove(instance);
    if (before != null) {
      NodeMetrics.modelServed(before, -1);
    }
  }

  /** The operating points judging, sorted and joined by ", " (one: a node's instances share their settings); "" when none. */
  public String points() {
    return String.join(", ", new TreeSet<>(pointByInstance.values()));
  }

  /** The versions served, sorted and joined by ", " (one, except while instances switch); "" when none. */
  public String versions() {
    return String.join(", ", new TreeSet<>(byInstance.values()));
  }
}
