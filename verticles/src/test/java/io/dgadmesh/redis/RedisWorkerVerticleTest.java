package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 50, timeUnit = TimeUnit.SECONDS)
class RedisWorkerVerticleTest {

  private RedisServer server;
  private Redis redis;

  @BeforeEach
  void startRedis(Vertx vertx) throws Exception {
    server = RedisServer.start();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stopRedis() throws Exception {
    server.close();
  }

  private JsonObject config(String nodeId) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(server.port()));
    env.put("REDIS_SET", "todo_test");
    env.put("DGAD_NODE_ID", nodeId);
    JsonObject c = NodeConfig.load(null, env);
    c.getJsonObject("redis").put("heartbeatMs", 200).put("nodeTtlMs", 600).put("popCount", 200)
        .put("errorBackoffMaxMs", 200);
    return c;
  }

  private Future<Response> send(Command cmd, Object... args) {
    Request r = Request.cmd(cmd);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    return redis.send(r);
  }

  /**
   * Stops redis-server mid-run (SHUTDOWN SAVE keeps the todo and in-flight sets, as a restart
   * would), waits until the worker reports the outage, then starts it again.
   */
  private Future<Void> restartRedis(Vertx vertx) {
    return vertx.executeBlocking(() -> {
          server.stop(true);
          return null;
        })
        .compose(v -> Poll.until(vertx, 10_000, "worker notices the outage",
            () -> vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject())
                .map(m -> !m.body().getBoolean("redis_up"))))
        .compose(v -> vertx.executeBlocking(() -> {
          server.launch();
          return null;
        }));
  }

  private Future<Void> sadd(List<String> names) {
    List<Future<Response>> all = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 1000) {
      List<String> part = names.subList(i, Math.min(names.size(), i + 1000));
      Request r = Request.cmd(Command.SADD).arg("todo_test");
      part.forEach(r::arg);
      all.add(redis.send(r));
    }
    return Future.all(all).mapEmpty();
  }

  /** True when every name has dgad's label (valid names) or an invalid reason. */
  private Future<Boolean> allLabelled(List<String> names, List<String> invalid) {
    List<Future<Response>> gets = new ArrayList<>();
    for (int i = 0; i < names.size(); i += 1000) {
      Request r = Request.cmd(Command.MGET);
      names.subList(i, Math.min(names.size(), i + 1000)).forEach(r::arg);
      gets.add(redis.send(r));
    }
    Request inv = Request.cmd(Command.SMISMEMBER).arg(RedisKeys.INVALID);
    invalid.forEach(inv::arg);
    Future<Response> invalidCheck = invalid.isEmpty() ? Future.succeededFuture(null) : redis.send(inv);
    return Future.all(Future.all(gets), invalidCheck).map(cf -> {
      for (Future<Response> g : gets) {
        for (Response v : g.result()) {
          if (v == null || !(v.toString().equals("DGA") || v.toString().equals("ok"))) {
            return false;
          }
        }
      }
      if (!invalid.isEmpty()) {
        for (Response v : invalidCheck.result()) {
          if (v.toInteger() != 1) {
            return false;
          }
        }
      }
      return true;
    });
  }

  private static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? tag + "-shop" + i + ".example.com" : Names.randomDga(16, i + tag.hashCode()));
    }
    return out;
  }

  @Test
  void labelsNamesLikeDgadAndRecordsInvalidOnes(Vertx vertx, VertxTestContext ctx) {
    String dga = Names.randomDga(20, 42);
    List<String> valid = new ArrayList<>(names(2000, "a"));
    valid.add("google.com");
    valid.add(dga);
    List<String> invalid = List.of("bad_name!.com", "a..b", "x".repeat(70) + ".org");
    List<String> all = new ArrayList<>(valid);
    all.addAll(invalid);
    JsonObject conf = config("t1");
    sadd(all)
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(),
            new DeploymentOptions().setConfig(conf).setInstances(2)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 30_000, "all names labelled", () -> allLabelled(valid, invalid)))
        .compose(v -> Future.all(send(Command.GET, "google.com"), send(Command.GET, dga),
            send(Command.HGETALL, RedisKeys.result("google.com")),
            send(Command.GET, RedisKeys.invalidReason("a..b")),
            send(Command.SCARD, "todo_test"), send(Command.SCARD, RedisKeys.inflight("t1"))))
        .compose(cf -> {
          ctx.verify(() -> {
            assertEquals("ok", cf.resultAt(0).toString());
            assertEquals("DGA", cf.<Response>resultAt(1).toString());
            Response hash = cf.resultAt(2);
            for (String field : List.of("score", "family", "family_score", "model", "node", "time")) {
              assertTrue(hash.containsKey(field), "result hash lacks " + field + ": " + hash);
            }
            assertTrue(hash.get("model").toString().matches(".+@[0-9a-f]{12}"), "the model that judged it: " + hash);
            assertEquals("t1", hash.get("node").toString());
            assertTrue(cf.<Response>resultAt(3).toString().contains("empty label"));
            assertEquals(0, cf.<Response>resultAt(4).toInteger());
            assertEquals(0, cf.<Response>resultAt(5).toInteger());
          });
          // The set stays empty for a while (the lanes back off); new names must still be picked up.
          List<String> late = names(50, "late");
          return sadd(late).compose(v -> Poll.until(vertx, 10_000, "late names labelled",
              () -> allLabelled(late, List.of())));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * What a worker that died between pop and write leaves in Redis (a clean stop hands its names
   * back instead; RedisDoorStopTest): names in its in-flight set, its registration and a heartbeat
   * key that expires after {@code ttlMs}.
   */
  private Future<Void> strandAsADeadWorker(String nodeId, List<String> names, long ttlMs) {
    Request strand = Request.cmd(Command.SADD).arg(RedisKeys.inflight(nodeId));
    names.forEach(strand::arg);
    return redis.send(strand)
        .compose(v -> send(Command.SADD, RedisKeys.NODES, nodeId))
        .compose(v -> send(Command.SET, RedisKeys.heartbeat(nodeId), "dead", "PX", ttlMs))
        .mapEmpty();
  }

  @Test
  void workerKilledBetweenPopAndWriteLosesNothing(Vertx vertx, VertxTestContext ctx) {
    List<String> all = names(3000, "k");
    List<String> popped = all.subList(0, 800);
    JsonObject fresh = config("survivor");
    sadd(all.subList(popped.size(), all.size()))
        .compose(v -> strandAsADeadWorker("dies", popped, 600))
        // Another node takes over: once the dead node's heartbeat expires its names come back.
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(fresh)))
        .compose(x -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(fresh)))
        .compose(v -> Poll.until(vertx, 30_000, "every name labelled", () -> allLabelled(all, List.of())))
        .compose(v -> Future.all(send(Command.EXISTS, RedisKeys.inflight("dies")),
            send(Command.SISMEMBER, RedisKeys.NODES, "dies")))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          assertEquals(0, cf.<Response>resultAt(0).toInteger(), "dead node's in-flight set must be gone");
          assertEquals(0, cf.<Response>resultAt(1).toInteger(), "dead node must be unregistered");
          ctx.completeNow();
        })));
  }

  @Test
  void restartUnderTheSameIdRequeuesItsOwnInFlightNames(Vertx vertx, VertxTestContext ctx) {
    List<String> all = names(1000, "r");
    JsonObject again = config("same").put("redis", config("same").getJsonObject("redis")
        .put("nodeTtlMs", 60_000)); // the old heartbeat is still alive: only the restart path can recover
    strandAsADeadWorker("same", all, 60_000)
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(again)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(again)))
        .compose(v -> Poll.until(vertx, 30_000, "every name labelled", () -> allLabelled(all, List.of())))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void survivesRedisRestartMidRun(Vertx vertx, VertxTestContext ctx) {
    List<String> all = names(20_000, "s");
    JsonObject conf = config("restart");
    sadd(all)
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(),
            new DeploymentOptions().setConfig(conf).setInstances(2)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 20_000, "work under way",
            () -> send(Command.SCARD, "todo_test").map(r -> r.toInteger() < all.size())))
        .compose(v -> restartRedis(vertx))
        .compose(v -> Poll.until(vertx, 40_000, "every name labelled after the restart",
            () -> allLabelled(all, List.of())))
        .compose(v -> vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject()))
        .onComplete(ctx.succeeding(m -> ctx.verify(() -> {
          assertTrue(m.body().getBoolean("redis_up"));
          assertTrue(m.body().getLong("outages") >= 1);
          // A write that Redis ran but whose reply the restart lost is retried and then fenced (its
          // names already left the in-flight set): the door counts those names as fenced, not
          // written, though they carry their label (checked above). Seen once in a full run.
          assertFalse(m.body().getLong("written") + m.body().getLong("fenced") < all.size());
          ctx.completeNow();
        })));
  }

  @Test
  void namesStrandedInFlightByALostPopReplyAreWrittenAfterAnOutage(Vertx vertx, VertxTestContext ctx) {
    // A POP that runs just before Redis goes away can move names into this node's in-flight set
    // without its reply reaching a lane. SADD names there by hand, once the worker is running (so
    // its start-up re-queue is over), to stand for that lost reply; then restart Redis.
    List<String> canary = names(10, "canary");
    List<String> stranded = names(200, "stranded");
    JsonObject conf = config("stranded");
    Request strand = Request.cmd(Command.SADD).arg(RedisKeys.inflight("stranded"));
    stranded.forEach(strand::arg);
    sadd(canary)
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 20_000, "the worker is writing", () -> allLabelled(canary, List.of())))
        .compose(v -> redis.send(strand))
        .compose(v -> restartRedis(vertx))
        .compose(v -> Poll.until(vertx, 30_000, "the stranded names labelled",
            () -> allLabelled(stranded, List.of())))
        .compose(v -> send(Command.SCARD, RedisKeys.inflight("stranded")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(0, r.toInteger(), "nothing left in flight");
          ctx.completeNow();
        })));
  }

  @Test
  void aNameThatIsNotUtf8TextIsRecordedInvalidUnderItsOwnBytes(Vertx vertx, VertxTestContext ctx) {
    // Read leniently, such a member would be written back under other bytes (U+FFFD): never
    // removed from the in-flight set, never answered, and reported as fenced on every pass.
    Buffer binary = Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe, '.', 'c', 'o', 'm'});
    Buffer accented = Buffer.buffer("caf\u00e9.com");
    List<String> valid = names(300, "b");
    JsonObject conf = config("bytes");
    redis.send(Request.cmd(Command.SADD).arg("todo_test").arg(binary).arg(accented))
        .compose(v -> sadd(valid))
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 20_000, "the valid names labelled", () -> allLabelled(valid, List.of())))
        .compose(v -> Poll.until(vertx, 10_000, "the queue and the in-flight set empty",
            () -> Future.all(send(Command.SCARD, "todo_test"), send(Command.SCARD, RedisKeys.inflight("bytes")))
                .map(cf -> cf.<Response>resultAt(0).toInteger() + cf.<Response>resultAt(1).toInteger() == 0)))
        .compose(v -> Future.all(
            redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.INVALID).arg(binary)),
            redis.send(Request.cmd(Command.GET).arg(Buffer.buffer("dgad:invalid:").appendBuffer(binary))),
            redis.send(Request.cmd(Command.GET).arg(accented)),
            vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject())))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          assertEquals(1, cf.<Response>resultAt(0).toInteger(), "the binary name is in dgad:invalid as it was added");
          assertEquals(PoppedNames.NOT_UTF8, cf.<Response>resultAt(1).toString());
          String label = cf.<Response>resultAt(2).toString();
          assertTrue(label.equals("ok") || label.equals("DGA"), "a UTF-8 IDN is classified: " + label);
          JsonObject status = cf.<Message<JsonObject>>resultAt(3).body();
          assertEquals(0, status.getLong("fenced"), "nothing fenced: " + status);
          assertEquals(valid.size() + 2, status.getLong("written"));
          ctx.completeNow();
        })));
  }

  @Test
  void aMemberSpelledLikeTheTodoSetIsRefusedAndTheSetSurvives(Vertx vertx, VertxTestContext ctx) {
    // A custom REDIS_SET that is a host name: dgad's "SET name label" would replace the set itself.
    JsonObject conf = config("queue");
    conf.getJsonObject("redis").put("set", "queue.example");
    vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> send(Command.SADD, "queue.example", "queue.example", "google.com"))
        .compose(v -> Poll.until(vertx, 10_000, "both members answered",
            () -> send(Command.SISMEMBER, RedisKeys.INVALID, "queue.example").map(r -> r.toInteger() == 1)))
        .compose(v -> send(Command.SADD, "queue.example", "example.org")) // the queue still works
        .compose(v -> Poll.until(vertx, 10_000, "a later member answered",
            () -> send(Command.GET, "example.org").map(r -> r != null)))
        .compose(v -> Future.all(send(Command.GET, RedisKeys.invalidReason("queue.example")),
            send(Command.TYPE, "queue.example"), send(Command.GET, "google.com")))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          assertEquals(PoppedNames.THE_QUEUE, cf.<Response>resultAt(0).toString());
          assertFalse("string".equals(cf.<Response>resultAt(1).toString()), "the todo set was overwritten");
          assertEquals("ok", cf.<Response>resultAt(2).toString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 150, timeUnit = TimeUnit.SECONDS)
  void tenMembersOf10MbGoToInvalidInsideRedisAndTheDoorKeepsAnswering(Vertx vertx, VertxTestContext ctx) {
    // A host name in UTF-8 may take more bytes than its 253 characters of punycode: still answered.
    String idn = String.join(".", "\u4e2d".repeat(50), "\u6587".repeat(50), "\u7f51".repeat(50)) + ".com";
    assertTrue(idn.getBytes(StandardCharsets.UTF_8).length > 253);
    List<String> valid = new ArrayList<>(names(500, "h"));
    valid.add(idn);
    JsonObject conf = config("huge");
    // Made inside Redis: before, the door popped them, ran out of heap, and popped them again for good.
    RedisStoreTest.addTenHugeMembers(redis, "todo_test")
        .compose(v -> sadd(valid))
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 100_000, "the names that fit labelled", () -> allLabelled(valid, List.of())))
        .compose(v -> Poll.until(vertx, 10_000, "the queue and the in-flight set empty",
            () -> Future.all(send(Command.SCARD, "todo_test"), send(Command.SCARD, RedisKeys.inflight("huge")))
                .map(cf -> cf.<Response>resultAt(0).toInteger() + cf.<Response>resultAt(1).toInteger() == 0)))
        .compose(v -> {
          List<String> late = names(50, "after");
          return sadd(late).compose(x -> Poll.until(vertx, 10_000, "names added later labelled",
              () -> allLabelled(late, List.of())));
        })
        .compose(v -> Future.all(send(Command.SCARD, RedisKeys.INVALID), send(Command.SRANDMEMBER, RedisKeys.INVALID),
            vertx.eventBus().<JsonObject>request(Bus.REDIS_STATUS, new JsonObject())))
        .compose(cf -> {
          Response member = cf.resultAt(1);
          ctx.verify(() -> {
            assertEquals(10, cf.<Response>resultAt(0).toInteger(), "each huge member recorded once, apart");
            assertEquals(RedisStore.SHOWN_BYTES + 3 + 40, member.toBytes().length, "a prefix, '...' and a SHA-1");
            JsonObject status = cf.<Message<JsonObject>>resultAt(2).body();
            assertEquals(10, status.getLong("too_long"), status.encode());
            assertTrue(Readiness.of(vertx).problems().isEmpty(), Readiness.of(vertx).problems().toString());
          });
          return redis.send(Request.cmd(Command.GET).arg(RedisKeys.invalidReason(member.toString())));
        })
        .onComplete(ctx.succeeding(reason -> ctx.verify(() -> {
          assertTrue(reason.toString().matches("longer than 1024 bytes \\(a host name has at most 253 characters\\): "
              + "104857\\d\\d bytes"), reason.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void aDatabaseTheServerDoesNotHaveStopsTheStartWithTheSettingNamed(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = config("db16");
    conf.getJsonObject("redis").put("db", 16); // redis-server has 16 databases by default: 0-15
    vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err instanceof NodeConfig.ConfigException, String.valueOf(err));
          assertTrue(err.getMessage().startsWith("redis.db (REDIS_DB): Redis at 127.0.0.1:" + server.port()
              + "/16 has no database 16"), err.getMessage());
          assertFalse(err.getMessage().contains("ERR"), "Redis's own text stays in the log: " + err.getMessage());
          assertTrue(Readiness.of(vertx).problems().isEmpty(), "a door that did not start reports nothing");
          ctx.completeNow();
        })));
  }

  @Test
  void aDoorWhoseLanesMakeNoProgressIsNotReadyUntilTheyDo(Vertx vertx, VertxTestContext ctx) {
    // No classifier yet: every classify request fails and is retried, so the lanes hold their
    // names without progress. Once a classifier runs, they move again.
    JsonObject conf = config("stall");
    conf.getJsonObject("redis").put("classifyTimeoutMs", 200);
    sadd(names(100, "st"))
        .compose(v -> vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 10_000, "the door reported stalled",
            () -> Future.succeededFuture(String.valueOf(Readiness.of(vertx).problems().get("redis-door:stall"))
                .contains("the Redis door is stalled"))))
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .compose(v -> Poll.until(vertx, 20_000, "the door ready again",
            () -> Future.succeededFuture(!Readiness.of(vertx).problems().containsKey("redis-door:stall"))))
        .compose(v -> Poll.until(vertx, 20_000, "every name labelled", () -> allLabelled(names(100, "st"), List.of())))
        .onComplete(ctx.succeedingThenComplete());
  }
}
