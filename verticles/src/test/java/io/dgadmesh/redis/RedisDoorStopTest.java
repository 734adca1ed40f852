package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 12: the Redis door's clean stop (defect 1) and its back-off from an overloaded classifier (defect 8). */
@Timeout(value = 60)
class RedisDoorStopTest {

  private RedisServer server;
  private Vertx vertx;
  private Redis redis;

  @BeforeEach
  void setUp() throws Exception {
    server = RedisServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
  }

  @AfterEach
  void tearDown() throws Exception {
    Poll.get(vertx.close(), 30_000);
    server.close();
  }

  private JsonObject config(String nodeId, String classifyAddress) {
    JsonObject c = NodeConfig.load(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(server.port()),
        "REDIS_SET", "todo_stop", "DGAD_NODE_ID", nodeId));
    c.getJsonObject("redis").put("classifyAddress", classifyAddress).put("popCount", 100);
    return c;
  }

  private long send(Command cmd, Object... args) {
    Request r = Request.cmd(cmd);
    for (Object a : args) {
      r.arg(String.valueOf(a));
    }
    Response res = Poll.get(redis.send(r), 10_000);
    return res == null ? 0 : res.toLong();
  }

  private void sadd(List<String> names) {
    Request r = Request.cmd(Command.SADD).arg("todo_stop");
    names.forEach(r::arg);
    Poll.get(redis.send(r), 10_000);
  }

  private static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(tag + i + ".example.com");
    }
    return out;
  }

  @Test
  void aStoppedDoorHandsItsInFlightNamesBackAtOnce() {
    // The classifier never answers, and the reply timeout is long: only the stop can free the names.
    JsonObject conf = config("leaving", "test.never.answers");
    conf.getJsonObject("redis").put("classifyTimeoutMs", 60_000);
    conf.getJsonObject("node").put("stopTimeoutMs", 1_000);
    vertx.eventBus().consumer("test.never.answers", msg -> { });
    List<String> all = names(1000, "h");
    sadd(all);
    String id = Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)), 30_000);
    Poll.await(10_000, "names in flight", () -> send(Command.SCARD, RedisKeys.inflight("leaving")) > 0);
    long t0 = System.nanoTime();
    Poll.get(vertx.undeploy(id), 10_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, send(Command.SCARD, RedisKeys.inflight("leaving")), "in-flight names left behind");
    assertEquals(all.size(), send(Command.SCARD, "todo_stop"), "every name back in the queue");
    assertTrue(ms < 5_000, "the stop took " + ms + " ms (node.stopTimeoutMs 1000)");
  }

  @Test
  void anOverloadedClassifierIsAskedAgainAfterAPauseNotAtOnce() {
    // One lane; a classifier that answers OVERLOADED four times, then passes requests on to a real one.
    JsonObject conf = config("patient", "test.overloaded");
    conf.getJsonObject("redis").put("concurrency", 1);
    List<Long> refusedAt = new CopyOnWriteArrayList<>();
    AtomicBoolean overloaded = new AtomicBoolean(true);
    vertx.eventBus().<JsonObject>consumer("test.overloaded", (Message<JsonObject> msg) -> {
      if (overloaded.get()) {
        refusedAt.add(System.nanoTime());
        if (refusedAt.size() >= 4) {
          overloaded.set(false);
        }
        msg.fail(Bus.OVERLOADED, "classifier overloaded (test)");
        return;
      }
      vertx.eventBus().<JsonObject>request(Bus.CLASSIFY, msg.body(), new DeliveryOptions().setSendTimeout(10_000))
          .onSuccess(reply -> msg.reply(reply.body()))
          .onFailure(err -> msg.fail(Bus.MODEL_FAILED, err.getMessage()));
    });
    List<String> all = names(100, "o");
    sadd(all);
    Poll.get(vertx.deployVerticle(new ClassifierVerticle(), new DeploymentOptions().setConfig(conf)), 30_000);
    Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(), new DeploymentOptions().setConfig(conf)), 30_000);
    Poll.await(30_000, "every name written", () -> send(Command.SCARD, "todo_stop") == 0
        && send(Command.SCARD, RedisKeys.inflight("patient")) == 0 && send(Command.EXISTS, all.get(0)) == 1);
    assertEquals(4, refusedAt.size());
    for (int i = 1; i < refusedAt.size(); i++) {
      long gapMs = (refusedAt.get(i) - refusedAt.get(i - 1)) / 1_000_000;
      assertTrue(gapMs >= RedisWorkerVerticle.OVERLOADED_PAUSE_MS, "asked again " + gapMs + " ms after OVERLOADED");
    }
    for (String name : all) {
      assertEquals(1, send(Command.EXISTS, name), name + " not written");
    }
  }
}
