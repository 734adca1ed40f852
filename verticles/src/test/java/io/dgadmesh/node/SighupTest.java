package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.ModelFiles;
import io.dgadmesh.testing.NodeProcess;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@code kill -HUP} to a node JVM as bin/dgad up runs it (classifier and Redis door,
 * DGAD_MODEL set): the node reloads the file instead of exiting (the JVM's own SIGHUP handling),
 * and the results it writes from then on name the new model. SIGTERM still stops it cleanly.
 */
@Timeout(value = 180)
class SighupTest {

  @Test
  void sighupReloadsTheModelAndTheNodeRunsOn() throws Exception {
    Path workDir = Files.createDirectories(Path.of("target", "fault-logs", "sighup-workdir").toAbsolutePath());
    Path model = workDir.resolve("model.onnx");
    byte[] a = ModelFiles.shipped();
    byte[] b = ModelFiles.declaring("9.9.9-sighup-test");
    String versionB = ModelFiles.versionOf(b, "9.9.9-sighup-test");
    ModelFiles.install(model, a);
    Vertx vertx = Vertx.vertx();
    try (RedisServer server = RedisServer.start();
         NodeProcess node = NodeProcess.up("SighupTest", "hup", workDir, server.port(), Map.of("DGAD_ROLES",
             "classifier,worker", "REDIS_SET", "todo_hup", "DGAD_MODEL", model.toString(), "DGAD_CLASSIFIERS", "1"),
             List.of("-XX:TieredStopAtLevel=1"))) {
      Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
      String before = storedModel(redis, node, "before-hup.example.com");
      assertTrue(before.startsWith("1.0.0") || !before.equals(versionB), before);

      Poll.await(60_000, "the node is up", () -> node.log().contains("dgad node hup is up"));
      ModelFiles.install(model, b);
      node.hangUp();
      Poll.await(60_000, "the node logged the reload", () -> !node.alive() || node.log().contains("SIGHUP: model reloaded: " + versionB));
      assertTrue(node.alive(), "SIGHUP must not stop the node (exit " + (node.alive() ? -1 : node.exitCode(1000)) + "):\n" + node.log());
      assertEquals(versionB, storedModel(redis, node, "after-hup.example.com"));

      node.terminate();
      assertEquals(143, node.exitCode(30_000), node.log());
    } finally {
      Poll.get(vertx.close(), 10_000);
    }
  }

  /** Sends {@code name} through the node's Redis door; the model its result hash names. */
  private static String storedModel(Redis redis, NodeProcess node, String name) {
    Poll.get(redis.send(Request.cmd(Command.SADD).arg("todo_hup").arg(name)), 10_000);
    Poll.await(90_000, "the node wrote " + name, () -> {
      assertTrue(node.alive(), node.log());
      return Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("model")), 10_000) != null;
    });
    Response r = Poll.get(redis.send(Request.cmd(Command.HGET).arg("dgad:result:" + name).arg("model")), 10_000);
    return r.toString();
  }
}
