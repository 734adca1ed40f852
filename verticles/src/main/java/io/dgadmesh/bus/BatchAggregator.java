package io.dgadmesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Coalesces many callers' items into one call of {@code runner}, like DJL Serving's batch
 * aggregator: a batch is cut when it holds {@code maxBatch} items or when its oldest request has
 * waited {@code deadlineMs}. At most {@code maxInFlight} batches run at a time; requests that
 * arrive meanwhile form the next batch, so batches grow by themselves under load. With
 * eagerWhenIdle an idle runner does not wait out the deadline (lower latency at light load; same
 * batching when busy). Used in front of ONNX Runtime (classifier) and in front of the event bus
 * (single-name gRPC calls).
 *
 * <p>Not thread-safe by design: every method runs on the owning verticle's event loop.
 */
public final class BatchAggregator<I, O> {

  private static final Logger LOG = Logger.getLogger(BatchAggregator.class.getName());

  private record Pending<I, O>(List<I> items, Promise<List<O>> promise) {}

  private final Vertx vertx;
  private final Function<List<I>, Future<List<O>>> runner;
  private final int maxInFlight;
  private final int maxBatch;
  private final long deadlineMs;
  private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
  private int queued;
  private long timer = -1;
  private int running;
  private boolean flushScheduled;
  private final boolean eagerWhenIdle;
  private long batches;
  private long items;

  /** One blocking call at a time on {@code executor}: the classifier's ONNX Runtime session. */
  public static <I, O> BatchAggregator<I, O> blocking(Vertx vertx, WorkerExecutor executor,
      Function<List<I>, List<O>> blockingModel, int maxBatch, long deadlineMs, boolean eagerWhenIdle) {
    return new BatchAggregator<>(vertx, all -> executor.executeBlocking(() -> blockingModel.apply(all), false),
        1, maxBatch, deadlineMs, eagerWhenIdle);
  }

  public BatchAggregator(Vertx vertx, Function<List<I>, Future<List<O>>> runner, int maxInFlight,
                         int maxBatch, long deadlineMs, boolean eagerWhenIdle) {
    this.eagerWhenIdle = eagerWhenIdle;
    this.vertx = vertx;
    this.runner = runner;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.deadlineMs = deadlineMs;
  }

  /** Outputs for {@code in}, in order, once the batch holding them has run. */
  public Future<List<O>> submit(List<I> in) {
    if (in.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<O>> p = Promise.promise();
    queue.add(new Pending<>(in, p));
    queued += in.size();
    if (queued >= maxBatch) {
      flush();
    } else if (timer < 0 && running < maxInFlight) {
      timer = vertx.setTimer(deadlineMs, id -> {
        timer = -1;
        flush();
      });
      if (eagerWhenIdle && !flushScheduled) {
        // The model is idle: run once the requests already read off the sockets in this event-loop
        // turn have been queued, instead of idling until the deadline. Under load the model is
        // busy and batches fill while it runs; the deadline stays the upper bound on waiting.
        flushScheduled = true;
        vertx.runOnContext(v -> {
          flushScheduled = false;
          flush();
        });
      }
    }
    return p.future();
  }

  private void flush() {
    if (running >= maxInFlight || queue.isEmpty()) {
      return; // a running batch flushes again when it completes
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    // Whole requests only, at least one: a request larger than maxBatch runs alone.
    List<Pending<I, O>> taken = new ArrayList<>();
    List<I> all = new ArrayList<>();
    while (!queue.isEmpty() && (all.isEmpty() || all.size() + queue.peek().items().size() <= maxBatch)) {
      Pending<I, O> p = queue.poll();
      taken.add(p);
      all.addAll(p.items());
    }
    queued -= all.size();
    running++;
    batches++;
    items += all.size();
    Future<List<O>> run;
    try {
      run = runner.apply(all);
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> {
      running--;
      if (ar.succeeded()) {
        List<O> out = ar.result();
        int at = 0;
        for (Pending<I, O> p : taken) {
          int n = p.items().size();
          List<O> mine = out.subList(at, at + n);
          deliver(() -> p.promise().complete(mine));
          at += n;
        }
      } else {
        for (Pending<I, O> p : taken) {
          deliver(() -> p.promise().fail(ar.cause()));
        }
      }
      // Whatever queued meanwhile has already waited for a whole model call: run it now.
      flush();
    });
  }

  /**
   * Completes one caller. The promises have no context, so a caller's listener that throws (a
   * gRPC answer to a client that has gone does) throws here: it goes to Vert.x's exception
   * handler instead of ending the loop, which would leave the rest of the batch unanswered.
   */
  private void deliver(Runnable completion) {
    try {
      completion.run();
    } catch (RuntimeException e) {
      Handler<Throwable> h = vertx.exceptionHandler();
      if (h != null) {
        h.handle(e);
      } else {
        LOG.log(Level.SEVERE, "Unhandled exception", e);
      }
    }
  }

  public long batches() {
    return batches;
  }

  public long items() {
    return items;
  }
}
