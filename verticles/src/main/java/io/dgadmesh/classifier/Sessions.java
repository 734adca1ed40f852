package io.dgadmesh.classifier;

import io.dgadmesh.model.DgaModel;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The model sessions of one classifier instance and the model calls running on each: a session a
 * reload replaced is closed once its last call has returned, never under one (closing an ONNX
 * Runtime session under a running call crashes the JVM). Confined to the instance's event loop.
 */
final class Sessions {

  private final Map<DgaModel, Integer> running = new IdentityHashMap<>();
  private final Set<DgaModel> retired = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Consumer<DgaModel> closer;
  private boolean keepOpen;

  Sessions(Consumer<DgaModel> closer) {
    this.closer = closer;
  }

  /** A call on {@code m} begins. */
  void acquire(DgaModel m) {
    running.merge(m, 1, Integer::sum);
  }

  /** A call on {@code m} has returned: a retired session with no call left is closed now. */
  void release(DgaModel m) {
    Integer left = running.merge(m, -1, Integer::sum);
    if (left != null && left <= 0) {
      running.remove(m);
      if (retired.remove(m) && !keepOpen) {
        closer.accept(m);
      }
    }
  }

  /**
   * The instance stopped with a call still running (stuck): the sessions in use stay open for good,
   * even if the call ever returns (the executor is closed by then, and the worker thread may be
   * interrupted out of its wait rather than done with the session).
   */
  void keepOpen() {
    keepOpen = true;
  }

  /** {@code m} takes no new calls: closed now if none runs, else when the last returns. */
  void retire(DgaModel m) {
    if (running.containsKey(m)) {
      retired.add(m);
    } else {
      closer.accept(m);
    }
  }

  /** Retired sessions still waiting for a call to return (a stuck call keeps its session open for good). */
  int retiredOpen() {
    return retired.size();
  }
}
