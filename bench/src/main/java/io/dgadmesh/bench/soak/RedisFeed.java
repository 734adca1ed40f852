package io.dgadmesh.bench.soak;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis door as dgad's producers use it: each call {@code SADD}s the next
 * {@link Door#namesPerCall} unique names to the todo set, and is answered when every one of them
 * has its label. Labels are counted with {@code EXISTS} on the call's names; each name is timed
 * from its SADD to the check that first counted it (the door takes names in SPOP's random order, so
 * a call's last name says how long the backlog was, not how long a name waited). A call is checked
 * again after a twentieth of its age (at least {@link #CHECK_MS}): the latency is that fine, and a
 * backlog after a restart costs Redis few checks. Call {@code seq} adds names
 * {@code seq * namesPerCall ..}; {@link #added} says which calls' SADD succeeded.
 */
final class RedisFeed {
  static final long CHECK_MS = 25;
  /** Calls checked per round at most, the oldest first. */
  private static final int CHECK_AT_ONCE = 2_000;

  /**
   * One call's names (kept, not made again for every look: a backlog is looked at often), how many
   * have labels so far, and when to look again. Touched by one check round at a time.
   */
  private static final class Batch {
    final List<String> names;
    final long sentNanos;
    final Promise<Integer> labelled = Promise.promise();
    int seen;
    long nextCheck;

    Batch(long from, long to, long sentNanos) {
      this.names = SoakNames.redis(from, to);
      this.sentNanos = sentNanos;
      this.nextCheck = sentNanos;
    }

    int size() {
      return names.size();
    }
  }

  private final Vertx vertx;
  private final Redis redis;
  private final String todo;
  private final DoorMeter meter;
  private final ConcurrentLinkedQueue<Batch> waiting = new ConcurrentLinkedQueue<>();
  private final BitSet added = new BitSet();
  private final AtomicBoolean checking = new AtomicBoolean();
  private long timer = -1;

  RedisFeed(Vertx vertx, Redis redis, String todo, DoorMeter meter) {
    this.vertx = vertx;
    this.redis = redis;
    this.todo = todo;
    this.meter = meter;
  }

  void start() {
    timer = vertx.setPeriodic(CHECK_MS, id -> check());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The calls whose names Redis took. */
  synchronized BitSet added() {
    return (BitSet) added.clone();
  }

  Pacer.Call load() {
    return seq -> {
      Batch b = new Batch(seq * Door.REDIS.namesPerCall, (seq + 1) * Door.REDIS.namesPerCall, System.nanoTime());
      Request sadd = Request.cmd(Command.SADD).arg(todo);
      b.names.forEach(sadd::arg);
      return redis.send(sadd).compose(r -> {
        synchronized (this) {
          added.set((int) seq);
        }
        waiting.add(b);
        return b.labelled.future();
      });
    };
  }

  /** One round: EXISTS on the names of each call due a look, pipelined. */
  private void check() {
    if (waiting.isEmpty() || !checking.compareAndSet(false, true)) {
      return;
    }
    long now = System.nanoTime();
    List<Batch> round = new ArrayList<>();
    List<Request> exists = new ArrayList<>();
    for (Batch b : waiting) {
      if (b.labelled.future().isComplete()) {
        waiting.remove(b); // given up on by its caller (a timeout); the end's ledger still checks its names
      } else if (b.nextCheck <= now && round.size() < CHECK_AT_ONCE) {
        Request r = Request.cmd(Command.EXISTS);
        b.names.forEach(r::arg);
        round.add(b);
        exists.add(r);
      }
    }
    if (round.isEmpty()) {
      checking.set(false);
      return;
    }
    redis.batch(exists).onComplete(ar -> {
      checking.set(false);
      if (ar.failed()) {
        return; // looked at again next round
      }
      long at = System.nanoTime();
      for (int i = 0; i < round.size(); i++) {
        Batch b = round.get(i);
        int seen = ar.result().get(i).toInteger();
        if (seen > b.seen && !b.labelled.future().isComplete()) {
          meter.namesAnswered(seen - b.seen, b.sentNanos);
          b.seen = seen;
        }
        if (seen == b.size()) {
          waiting.remove(b);
          b.labelled.tryComplete(seen);
        } else {
          b.nextCheck = at + Math.max(CHECK_MS * 1_000_000, (at - b.sentNanos) / 20);
        }
      }
    });
  }
}
