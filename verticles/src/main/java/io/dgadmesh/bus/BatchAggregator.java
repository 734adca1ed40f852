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
 * <p>Admission: with {@link #limitQueued} a request that would take the waiting items past the limit
 * fails at once with {@link Full} (a request finding the queue empty is always taken, so no request
 * size can starve). A request may carry a deadline (its caller's): one still waiting when it passes
 * fails with {@link Expired} without running. {@link #close} fails everything waiting with
 * {@link Closed} and tells when the running batches have returned.
 *
 * <p>Not thread-safe by design: every method runs on the owning verticle's event loop.
 */
public final class BatchAggregator<I, O> {

  private static final Logger LOG = Logger.getLogger(BatchAggregator.class.getName());

  /** A deadline that never passes. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  /** Refused at once: the waiting items are at the limit. */
  public static final class Full extends RuntimeException {
    private final int queued;
    private final int limit;

    Full(int queued, int limit) {
      super(queued + " items waiting, the limit is " + limit, null, false, false);
      this.queued = queued;
      this.limit = limit;
    }

    public int queued() {
      return queued;
    }

    public int limit() {
      return limit;
    }
  }

  /** Dropped without running: the request's deadline passed while it waited. */
  public static final class Expired extends RuntimeException {
    Expired() {
      super("the deadline passed before the request ran", null, false, false);
    }
  }

  /** Not run: the aggregator was closed. */
  public static final class Closed extends RuntimeException {
    Closed(String why) {
      super(why, null, false, false);
    }
  }

  private record Pending<I, O>(List<I> items, Promise<List<O>> promise, long deadline) {
    boolean expired(long now) {
      return deadline != NO_DEADLINE && now - deadline >= 0;
    }
  }

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
  private int maxQueued = Integer.MAX_VALUE;
  private long expired;
  private long refused;
  private String closed;
  private Promise<Void> idle;

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

  /**
   * At most {@code limit} items wait at a time (the batches running are not counted); past it a
   * request fails at once with {@link Full}.
   */
  public BatchAggregator<I, O> limitQueued(int limit) {
    this.maxQueued = limit;
    return this;
  }

  /** Outputs for {@code in}, in order, once the batch holding them has run. */
  public Future<List<O>> submit(List<I> in) {
    return submit(in, NO_DEADLINE);
  }

  /**
   * As {@link #submit(List)}; fails with {@link Expired}, without running, if still waiting at
   * {@code deadline} ({@link System#nanoTime()} scale, or {@link #NO_DEADLINE}).
   */
  public Future<List<O>> submit(List<I> in, long deadline) {
    if (closed != null) {
      return Future.failedFuture(new Closed(closed));
    }
    if (in.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Pending<I, O> pending = new Pending<>(in, Promise.promise(), deadline);
    if (pending.expired(System.nanoTime())) {
      expired += in.size();
      return Future.failedFuture(new Expired());
    }
    if (queued > 0 && queued + in.size() > maxQueued) {
      dropExpired();
      if (queued > 0 && queued + in.size() > maxQueued) {
        refused += in.size();
        return Future.failedFuture(new Full(queued, maxQueued));
      }
    }
    queue.add(pending);
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
    return pending.promise().future();
  }

  /**
   * Fails the waiting requests whose deadline has passed (their callers have gone). Run when the
   * queue is at its limit, so requests nobody waits for do not hold it.
   */
  private void dropExpired() {
    long now = System.nanoTime();
    int freed = 0;
    for (var it = queue.iterator(); it.hasNext(); ) {
      Pending<I, O> p = it.next();
      if (p.expired(now)) {
        it.remove();
        freed += p.items().size();
        deliver(() -> p.promise().fail(new Expired()));
      }
    }
    queued -= freed;
    expired += freed;
  }

  /**
   * Takes no more requests: fails every waiting one with {@link Closed} ({@code why} is its
   * message) and completes once no batch runs any more (at once if none does).
   */
  public Future<Void> close(String why) {
    if (closed == null) {
      closed = why;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      List<Pending<I, O>> waiting = new ArrayList<>(queue);
      queue.clear();
      queued = 0;
      for (Pending<I, O> p : waiting) {
        deliver(() -> p.promise().fail(new Closed(why)));
      }
      idle = Promise.promise();
      if (running == 0) {
        idle.complete();
      }
    }
    return idle.future();
  }

  private void flush() {
    if (running >= maxInFlight || queue.isEmpty() || closed != null) {
      return; // a running batch flushes again when it completes
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    // Whole requests only, at least one: a request larger than maxBatch runs alone. Requests whose
    // caller's deadline has passed are dropped here, before the model sees them.
    long now = System.nanoTime();
    List<Pending<I, O>> taken = new ArrayList<>();
    List<I> all = new ArrayList<>();
    while (!queue.isEmpty() && (all.isEmpty() || all.size() + queue.peek().items().size() <= maxBatch)) {
      Pending<I, O> p = queue.poll();
      queued -= p.items().size();
      if (p.expired(now)) {
        expired += p.items().size();
        deliver(() -> p.promise().fail(new Expired()));
        continue;
      }
      taken.add(p);
      all.addAll(p.items());
    }
    if (all.isEmpty()) {
      return; // every request taken had expired, and the queue is empty
    }
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
      if (closed != null) {
        if (running == 0) {
          idle.tryComplete();
        }
        return;
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

  /** Items dropped unrun because their deadline had passed. */
  public long expired() {
    return expired;
  }

  /** Items refused with {@link Full}. */
  public long refused() {
    return refused;
  }

  /** Items waiting now. */
  public int queued() {
    return queued;
  }
}
