package io.dgadmesh.classifier;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.Prediction;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A real classifier (the shipped model) whose model calls a test can hold until it lets them go,
 * or make throw, and whose model closing it watches: was the session closed under a running call?
 */
class HeldClassifier extends ClassifierVerticle {

  /** Until counted down, model calls wait (on the worker thread); null: they run at once. */
  private final CountDownLatch gate;
  private final boolean failing;
  final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch callStarted = new CountDownLatch(1);
  volatile boolean running;
  volatile boolean closed;
  volatile boolean closedWhileRunning;

  HeldClassifier(NodeSettings settings, BiConsumer<String, String> onBroken, CountDownLatch gate, boolean failing) {
    super(settings, onBroken);
    this.gate = gate;
    this.failing = failing;
  }

  @Override
  List<Prediction> runModel(DgaModel m, List<String> hosts) {
    running = true;
    calls.incrementAndGet();
    callStarted.countDown();
    try {
      if (gate != null && !gate.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the call go");
      }
      if (failing) {
        throw new IllegalStateException("ONNX Runtime failed: a broken session (test)");
      }
      return super.runModel(m, hosts);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running = false;
    }
  }

  @Override
  void closeModel(DgaModel m) {
    closed = true;
    if (running) {
      closedWhileRunning = true; // the defect: not passed on, so this JVM does not crash on it
      return;
    }
    super.closeModel(m);
  }
}
