package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write script against a real redis-server: it writes only names still in this node's
 * in-flight set (fencing), in batches larger than one chunk of 1,000, and gives the same result on
 * a server without SMISMEMBER (before Redis 6.2; mimicked by renaming the command away).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class RedisWriteScriptTest {

  private static final String INFLIGHT = "dgad:inflight:n1";

  @ParameterizedTest(name = "SMISMEMBER available: {0}")
  @ValueSource(booleans = {true, false})
  void writesOwnedNamesOnlyAndEachOnce(boolean modernServer, Vertx vertx, VertxTestContext ctx) throws Exception {
    RedisServer server = modernServer ? RedisServer.start() : RedisServer.start("--rename-command", "SMISMEMBER", "");
    Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
    int total = 2500; // three chunks
    List<String> owned = new ArrayList<>();
    int ownedLabelled = 0;
    Request write = Request.cmd(Command.EVAL).arg(RedisScripts.WRITE).arg(2).arg(INFLIGHT).arg(RedisKeys.INVALID)
        .arg("n1").arg("2026-11-24T00:00:00Z").arg("1");
    for (int i = 0; i < total; i++) {
      String name = "n" + i + ".example.com";
      boolean invalid = i % 100 == 7;
      if (i % 10 != 3) { // every tenth name was re-queued elsewhere meanwhile: fenced out
        owned.add(name);
        ownedLabelled += invalid ? 0 : 1;
      }
      write.arg(name);
      if (invalid) {
        write.arg("!").arg("label over 63 characters").arg("").arg("").arg("").arg("");
      } else {
        write.arg(i % 2 == 0 ? "DGA" : "ok").arg("0.5").arg(i % 2 == 0 ? "fam" : "").arg("0.9")
            .arg(i < 1500 ? "1.0.0@aaaaaaaaaaaa" : "1.0.1@bbbbbbbbbbbb").arg(i < 1500 ? "balanced" : "strict");
      }
    }
    int labelled = ownedLabelled;
    Request fill = Request.cmd(Command.SADD).arg(INFLIGHT);
    owned.forEach(fill::arg);
    redis.send(fill)
        .compose(r -> redis.send(write))
        .compose(written -> {
          ctx.verify(() -> assertEquals(owned.size(), written.toInteger()));
          // The same write again, as a retry after a lost reply sends it: nothing is written twice,
          // and the labelled names this write wrote (its node and time in their hash) count as written.
          return redis.send(write);
        })
        .compose(again -> {
          ctx.verify(() -> assertEquals(labelled, again.toInteger()));
          return Future.all(List.of(
              redis.send(Request.cmd(Command.SCARD).arg(INFLIGHT)),
              redis.send(Request.cmd(Command.GET).arg("n0.example.com")),
              redis.send(Request.cmd(Command.GET).arg("n1.example.com")),
              redis.send(Request.cmd(Command.GET).arg("n3.example.com")),
              redis.send(Request.cmd(Command.HGETALL).arg("dgad:result:n2000.example.com")),
              redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.INVALID).arg("n2107.example.com")),
              redis.send(Request.cmd(Command.GET).arg("dgad:invalid:n2107.example.com")),
              redis.send(Request.cmd(Command.SISMEMBER).arg(RedisKeys.INVALID).arg("n2007.example.com")),
              redis.send(Request.cmd(Command.HGET).arg("dgad:result:n10.example.com").arg("model"))));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(0, all.<Response>resultAt(0).toInteger(), "in-flight set emptied");
          assertEquals("DGA", all.<Response>resultAt(1).toString());
          assertEquals("ok", all.<Response>resultAt(2).toString());
          assertNull(all.<Response>resultAt(3), "a fenced name is not written");
          Response hash = all.resultAt(4);
          assertEquals("fam", hash.get("family").toString());
          assertEquals("1", hash.get("writes").toString());
          assertEquals("n1", hash.get("node").toString());
          assertEquals("1.0.1@bbbbbbbbbbbb", hash.get("model").toString(), "the model that judged it, in the third chunk");
          assertEquals("strict", hash.get("point").toString(), "the operating point that judged it");
          assertEquals(1, all.<Response>resultAt(5).toInteger(), "invalid name recorded");
          assertEquals("label over 63 characters", all.<Response>resultAt(6).toString());
          assertEquals(1, all.<Response>resultAt(7).toInteger());
          assertEquals("1.0.0@aaaaaaaaaaaa", all.<Response>resultAt(8).toString(), "the first chunk's model");
          server.close();
          ctx.completeNow();
        })));
  }
}
