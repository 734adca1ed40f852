package io.dgadmesh.bench.soak;

import io.vertx.core.Future;
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
 * {@link Door#namesPerCall} unique names to the todo set and is answered when every one of them
 * has its label ({@code EXISTS} on the names, every {@link #CHECK_MS} ms: the latency is as fine
 * as that). Call {@code seq} adds names {@code seq * namesPerCall ..}; {@link #added} says
 * which calls' SADD succeeded (a call not sent, or whose SADD failed, adds nothing the soak counts on).
 */
final class RedisFeed {
  static final long CHECK_MS = 25;
  /** Batches checked per round at most: a long restart leaves many waiting, and the oldest matter most. */
  private static final int CHECK_AT_ONCE = 500;

  private record Batch(long from, long to, Promise<Integer> labelled) {}

  private final Vertx vertx;
  private final Redis redis;
  private final String todo;
  private final ConcurrentLinkedQueue<Batch> waiting = new ConcurrentLinkedQueue<>();
  private final BitSet added = new BitSet();
  private final AtomicBoolean checking = new AtomicBoolean();
  private long timer = -1;

  RedisFeed(Vertx vertx, Redis redis, String todo) {
    this.vertx = vertx;
    this.redis = redis;
    this.todo = todo;
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
      long from = seq * Door.REDIS.namesPerCall;
      long to = from + Door.REDIS.namesPerCall;
      Request sadd = Request.cmd(Command.SADD).arg(todo);
      SoakNames.redis(from, to).forEach(sadd::arg);
      Promise<Integer> labelled = Promise.promise();
      return redis.send(sadd).compose(r -> {
        synchronized (this) {
          added.set((int) seq);
        }
        waiting.add(new Batch(from, to, labelled));
        return labelled.future();
      });
    };
  }

  /** One round: EXISTS on the names of each waiting batch, pipelined; a fully labelled batch is answered. */
  private void check() {
    if (waiting.isEmpty() || !checking.compareAndSet(false, true)) {
      return;
    }
    List<Batch> round = new ArrayList<>();
    List<Request> exists = new ArrayList<>();
    for (Batch b : waiting) {
      if (b.labelled().future().isComplete()) {
        waiting.remove(b); // given up on by its caller (a timeout)
        continue;
      }
      if (round.size() == CHECK_AT_ONCE) {
        break;
      }
      Request r = Request.cmd(Command.EXISTS);
      SoakNames.redis(b.from(), b.to()).forEach(r::arg);
      round.add(b);
      exists.add(r);
    }
    if (round.isEmpty()) {
      checking.set(false);
      return;
    }
    redis.batch(exists).onComplete(ar -> {
      checking.set(false);
      if (ar.failed()) {
        return; // asked again next round
      }
      for (int i = 0; i < round.size(); i++) {
        Batch b = round.get(i);
        if (ar.result().get(i).toLong() == b.to() - b.from()) {
          waiting.remove(b);
          b.labelled().tryComplete((int) (b.to() - b.from()));
        }
      }
    });
  }

  Future<Void> close() {
    stop();
    return Future.succeededFuture();
  }
}
