package io.dgadmesh.bench.soak;

import io.dgadmesh.bench.fuzz.Dgad4Answers;
import io.dgadmesh.bench.fuzz.DoorTally;
import io.dgadmesh.bench.fuzz.HostileInputs;
import io.dgadmesh.bench.fuzz.GrpcRefusals;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A careless or hostile client beside the load: the fuzz's {@link HostileInputs} (random text,
 * control characters, lone surrogates, 10 kB strings, IDN edge cases, injection strings, and
 * real-looking names) through the gRPC dgad 4.x and 3.x doors, the native batch, {@code POST
 * /api/classify} and the Redis door, one door after the other; and once a report interval a 10 MB
 * input through one of them. Each door's {@link DoorTally} judges the answers as the fuzz does: a
 * verdict for a host name, a refusal with a reason for anything else. A call that gets no answer
 * at all (a restart) is an error of the soak's hostile row instead. What went to the Redis door is
 * judged at the end, from what the door stored.
 */
final class HostileClient {
  private static final int PER_CALL = 10;
  private static final int HUGE = 10 << 20;
  private final GrpcCalls grpc;
  private final HttpCalls http;
  private final Redis redis;
  private final RedisStore store;
  private final String todo;
  private final long seed;
  private final DoorTally dgad4 = new DoorTally("hostile: gRPC dgad 4.x");
  private final DoorTally dgad3 = new DoorTally("hostile: gRPC dgad 3.x");
  private final DoorTally batch = new DoorTally("hostile: gRPC ClassifyBatch");
  private final DoorTally classify = new DoorTally("hostile: HTTP POST /api/classify");
  private final DoorTally redisDoor = new DoorTally("hostile: Redis SADD");
  /** Inputs the Redis door took, judged at the end (each input only once: a second SADD of a name is answered again). */
  private final List<String> sentToRedis = new ArrayList<>();
  private final Set<String> seenByRedis = new HashSet<>();
  /** 10 MB inputs the Redis door took, judged as soon as it has answered them: each is held until then. */
  private final List<String> hugeToRedis = new ArrayList<>();
  private Iterator<String> inputs = List.<String>of().iterator();
  private int chunk;
  private int huge;

  HostileClient(GrpcCalls grpc, HttpCalls http, Redis redis, RedisStore store, long seed) {
    this.grpc = grpc;
    this.http = http;
    this.redis = redis;
    this.store = store;
    this.todo = store.todoSet();
    this.seed = seed;
  }

  List<DoorTally> tallies() {
    return List.of(dgad4, dgad3, batch, classify, redisDoor);
  }

  /** The next input, as a client's UTF-8 encoder sends it (a lone surrogate becomes '?'). */
  private synchronized String next() {
    if (!inputs.hasNext()) {
      inputs = HostileInputs.generate(2_000, 0, seed + chunk++).iterator();
    }
    String s = inputs.next();
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private List<String> next(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  /** Call {@code seq}: the doors in turn; yields the inputs answered (judged or refused). */
  Pacer.Call load() {
    return seq -> switch ((int) (seq % 5)) {
      case 0 -> dgad4(next());
      case 1 -> dgad3(next());
      case 2 -> batch(next(PER_CALL));
      case 3 -> classify(next(PER_CALL));
      default -> redis(next(PER_CALL));
    };
  }

  /**
   * A 10 MB input through the next of dgad 4.x, the batch, /api/classify and the Redis door
   * (after judging the earlier ones the Redis door has answered by now).
   */
  Future<Integer> huge() throws Exception {
    List<String> waiting;
    synchronized (this) {
      waiting = List.copyOf(hugeToRedis);
    }
    for (String in : waiting) {
      if (RedisLedger.await(lookup(in))) {
        synchronized (this) {
          hugeToRedis.remove(in);
        }
      }
    }
    String in = "h" + huge + "x".repeat(HUGE);
    return switch (huge++ % 4) {
      case 0 -> dgad4(in);
      case 1 -> batch(List.of(in));
      case 2 -> classify(List.of(in));
      default -> redis(List.of(in));
    };
  }

  private Future<Integer> dgad4(String in) {
    return judged(grpc.dgad4(in, Door.HOSTILE.timeoutMs).map(Dgad4Answers::hasVerdict), dgad4, in);
  }

  private Future<Integer> dgad3(String in) {
    return judged(grpc.dgad3(in, Door.HOSTILE.timeoutMs).map(c -> !c.getBinaryClassification().isEmpty()), dgad3, in);
  }

  /** One name's answer: a verdict, or a status that names the problem; anything else failed the call. */
  private static Future<Integer> judged(Future<Boolean> call, DoorTally t, String in) {
    t.sent(1);
    return call.transform(ar -> {
      if (ar.succeeded()) {
        if (ar.result()) {
          t.verdict(in);
        } else {
          t.fail(in, "an answer without a verdict");
        }
        return Future.succeededFuture(1);
      }
      if (GrpcRefusals.refusal(ar.cause())) {
        t.refusal(in, String.valueOf(GrpcRefusals.status(ar.cause())));
        return Future.succeededFuture(1);
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private Future<Integer> batch(List<String> ins) {
    batch.sent(ins.size());
    return grpc.batch(ins, Door.HOSTILE.timeoutMs).transform(ar -> {
      if (ar.succeeded()) {
        return perName(batch, ins, ar.result());
      }
      if (GrpcRefusals.refusal(ar.cause())) {
        ins.forEach(in -> batch.refusal(in, String.valueOf(GrpcRefusals.status(ar.cause()))));
        return Future.succeededFuture(ins.size());
      }
      return Future.failedFuture(ar.cause());
    });
  }

  private static Future<Integer> perName(DoorTally t, List<String> ins, ClassifyResponse r) {
    if (r.getResultsCount() != ins.size()) {
      ins.forEach(in -> t.fail(in, r.getResultsCount() + " results for " + ins.size() + " inputs"));
      return Future.succeededFuture(ins.size());
    }
    for (int i = 0; i < ins.size(); i++) {
      String error = r.getResults(i).getError();
      if (error.isEmpty()) {
        t.verdict(ins.get(i));
      } else {
        t.refusal(ins.get(i), error);
      }
    }
    return Future.succeededFuture(ins.size());
  }

  private Future<Integer> classify(List<String> ins) {
    classify.sent(ins.size());
    return http.call(HttpMethod.POST, "/api/classify", "application/json", HttpCalls.classifyBody(ins),
        Door.HOSTILE.timeoutMs).compose(a -> {
          JsonObject j = a.json();
          JsonArray results = a.status() == 200 && j != null ? j.getJsonArray("results") : null;
          if (results != null && results.size() == ins.size()) {
            for (int i = 0; i < ins.size(); i++) {
              JsonObject r = results.getJsonObject(i);
              if (r.getString("error") != null) {
                classify.refusal(ins.get(i), r.getString("error"));
              } else if (r.getValue("is_dga") instanceof Boolean) {
                classify.verdict(ins.get(i));
              } else {
                classify.fail(ins.get(i), "a result of another shape: " + r);
              }
            }
            return Future.succeededFuture(ins.size());
          }
          if (a.status() >= 400 && a.status() < 500 && j != null && j.getString("error") != null) {
            ins.forEach(in -> classify.refusal(in, j.getString("error")));
            return Future.succeededFuture(ins.size());
          }
          return Future.failedFuture(a.shown()); // a 5xx: the node failed the call
        });
  }

  private Future<Integer> redis(List<String> ins) {
    List<String> fresh = new ArrayList<>();
    synchronized (this) {
      for (String in : ins) {
        if (in.length() > HUGE || seenByRedis.add(in)) { // a 10 MB input is unique, and is not kept
          fresh.add(in);
        }
      }
    }
    if (fresh.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Request sadd = Request.cmd(Command.SADD).arg(todo);
    fresh.forEach(sadd::arg);
    return redis.send(sadd).map(r -> {
      synchronized (this) {
        for (String in : fresh) {
          (in.length() > HUGE ? hugeToRedis : sentToRedis).add(in);
        }
      }
      redisDoor.sent(fresh.size());
      return fresh.size();
    });
  }

  /**
   * What the Redis door made of each input it took, once the node has drained the todo set: a
   * label under the input or its normalised name, or the reason it recorded.
   */
  void judgeRedis() throws Exception {
    List<String> all = new ArrayList<>();
    synchronized (this) {
      all.addAll(sentToRedis);
      all.addAll(hugeToRedis);
      sentToRedis.clear();
      hugeToRedis.clear();
    }
    for (String in : all) {
      if (!RedisLedger.await(lookup(in))) {
        redisDoor.fail(in, "never answered (neither a label nor a reason in Redis)");
      }
    }
  }

  /** Judges what the Redis door stored for {@code in}; false when it stored nothing (yet). */
  private Future<Boolean> lookup(String in) {
    HostnameNormalizer.Result norm = HostnameNormalizer.normalize(in);
    List<String> keys = norm.ok() && !norm.host().equals(in) ? List.of(in, norm.host()) : List.of(in);
    return store.storedResult(keys).compose(found -> {
      if (found != null) {
        redisDoor.verdict(in);
        return Future.succeededFuture(true);
      }
      return store.invalidReason(in).map(reason -> {
        if (reason != null) {
          redisDoor.refusal(in, reason);
        }
        return reason != null;
      });
    });
  }
}
