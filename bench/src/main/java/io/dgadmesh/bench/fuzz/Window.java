package io.dgadmesh.bench.fuzz;

import io.vertx.core.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** At most {@code size} calls in flight, sent from one (non-event-loop) thread. */
final class Window {
  private final int size;
  private final Semaphore free;

  Window(int size) {
    this.size = size;
    this.free = new Semaphore(size);
  }

  void send(Supplier<Future<?>> call) throws InterruptedException {
    free.acquire();
    Future<?> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      free.release();
      throw e;
    }
    f.onComplete(ar -> free.release());
  }

  /** Waits until every call sent has completed. */
  void drain(long timeoutMs) throws InterruptedException {
    if (!free.tryAcquire(size, timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("calls still unanswered after " + timeoutMs + " ms");
    }
    free.release(size);
  }
}
