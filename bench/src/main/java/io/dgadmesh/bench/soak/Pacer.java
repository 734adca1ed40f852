package io.dgadmesh.bench.soak;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one door's calls at a fixed rate, whether or not earlier calls were answered (an open
 * loop: a closed loop slows down with the node and hides how long its callers would wait). At most
 * the door's {@code maxInFlight} calls wait at once; a call past that is not sent and counts as an
 * error, and a call unanswered after the door's timeout counts as an error too. The rate rises
 * linearly from zero over the ramp, then holds.
 *
 * <p>A call not sent is dated from the oldest call still waiting, not from the moment it was
 * refused: the backlog that refused it built up since then. So a backlog left by a restart, still
 * draining after the node is ready again, counts with the restart.
 */
final class Pacer {

  /** Call number {@code seq} of a door; its future yields the names answered, or fails with the reason. */
  interface Call {
    Future<Integer> send(long seq);
  }

  private static final long TICK_MS = 10;
  private final Vertx vertx;
  private final DoorMeter meter;
  private final double perSecond;
  private final Call call;
  private final double rampSeconds;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** The send time of each call still waiting, by its number (sent in order, so the first is the oldest). */
  private final ConcurrentSkipListMap<Long, Long> waitingSince = new ConcurrentSkipListMap<>();
  private long started;
  private long sent;
  private long timer = -1;

  Pacer(Vertx vertx, DoorMeter meter, double perSecond, double rampSeconds, Call call) {
    this.vertx = vertx;
    this.rampSeconds = rampSeconds;
    this.meter = meter;
    this.perSecond = perSecond;
    this.call = call;
  }

  void start() {
    if (perSecond <= 0) {
      return;
    }
    started = System.nanoTime();
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  /** Sends no more calls; those in flight still count. */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  private void tick() {
    long due = due((System.nanoTime() - started) / 1e9, perSecond, rampSeconds);
    while (sent < due) {
      long seq = sent++;
      if (inFlight.get() >= meter.door.maxInFlight) {
        Map.Entry<Long, Long> oldest = waitingSince.firstEntry();
        meter.failed(oldest == null ? System.nanoTime() : oldest.getValue(),
            meter.door.maxInFlight + " calls still waiting: call not sent");
      } else {
        send(seq);
      }
    }
  }

  /** Calls due after {@code t} seconds: the integral of a rate that rises linearly over the ramp, then holds. */
  static long due(double t, double perSecond, double rampSeconds) {
    if (t <= 0) {
      return 0;
    }
    double calls = t < rampSeconds ? perSecond * t * t / (2 * rampSeconds) : perSecond * (t - rampSeconds / 2);
    return (long) calls;
  }

  private void send(long seq) {
    long t0 = System.nanoTime();
    inFlight.incrementAndGet();
    waitingSince.put(seq, t0);
    Promise<Integer> done = Promise.promise();
    long timeout = vertx.setTimer(meter.door.timeoutMs, id -> done.tryFail("no answer in " + meter.door.timeoutMs + " ms"));
    Future<Integer> f;
    try {
      f = call.send(seq);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete(ar.result());
      } else {
        done.tryFail(ar.cause());
      }
    });
    done.future().onComplete(ar -> {
      vertx.cancelTimer(timeout);
      waitingSince.remove(seq);
      inFlight.decrementAndGet();
      if (ar.succeeded() && meter.door.timesNames) {
        meter.callAnswered();
      } else if (ar.succeeded()) {
        meter.answered(ar.result(), t0);
      } else {
        meter.failed(t0, why(ar.cause()));
      }
    });
  }

  static String why(Throwable t) {
    String s = t.getClass().getSimpleName() + ": " + t.getMessage();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
