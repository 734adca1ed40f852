package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Main prints: the "is up" banner of {@code up}, a top-level error. */
class MainOutputTest {

  private static List<String> banner(String roles, String redisWhere) {
    JsonObject conf = NodeConfig.load(null, Map.of("DGAD_ROLES", roles, "DGAD_NODE_ID", "n1"));
    return Main.banner(conf, redisWhere);
  }

  @Test
  void theBannerOfEveryRoleListsEveryDoor() {
    List<String> lines = banner("classifier,worker,grpc,web", "localhost:6379 (existing)");
    assertEquals("dgad node n1 is up (2 classifiers)", lines.get(0));
    assertTrue(lines.get(1).startsWith("  redis door   localhost:6379 (existing), set 'domains_todo'"), lines.toString());
    assertTrue(lines.get(2).startsWith("  gRPC         0.0.0.0:4714"), lines.toString());
    assertTrue(lines.get(3).startsWith("  gRPC (3.x)   0.0.0.0:50054"), lines.toString());
    assertTrue(lines.get(4).startsWith("  dashboard    http://localhost:8080/"), lines.toString());
  }

  @Test
  void theBannerListsOnlyWhatTheNodeRuns() {
    // The web role reads the queue depth from Redis, but runs no Redis door and no classifier.
    List<String> web = banner("web", "localhost:6379 (existing)");
    assertEquals("dgad node n1 is up (roles: web)", web.get(0));
    assertFalse(String.join("\n", web).contains("classifiers"), web.toString());
    assertFalse(String.join("\n", web).contains("redis door"), web.toString());
    assertFalse(String.join("\n", web).contains("gRPC"), web.toString());
    assertTrue(web.get(1).startsWith("  redis        localhost:6379 (existing)  read by the dashboard"), web.toString());
    List<String> worker = banner("worker", "localhost:6379 (existing)");
    assertEquals("dgad node n1 is up (roles: worker)", worker.get(0));
    assertTrue(worker.get(1).startsWith("  redis door   "), worker.toString());
    List<String> grpc = banner("grpc", null);
    assertEquals("dgad node n1 is up (roles: grpc)", grpc.get(0));
    assertFalse(String.join("\n", grpc).contains("dashboard"), grpc.toString());
  }

  @Test
  void aFileErrorSaysWhatHappenedToWhichFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.txt");
    Exception e = assertThrows(Exception.class, () -> ClassifyCommand.run(new String[] {"-f", missing.toString()},
        NodeConfig.load(null, Map.of()), InputStream.nullInputStream(), new ByteArrayOutputStream(), System.err));
    assertEquals("no such file: " + missing, Main.describe(e), "was only the path");
    assertEquals("permission denied: /etc/shadow", Main.describe(new AccessDeniedException("/etc/shadow")));
    assertEquals("no such file: /a.txt", Main.describe(new UncheckedIOException(new NoSuchFileException("/a.txt"))));
    assertEquals("connection refused", Main.describe(new IllegalStateException("connection refused")));
  }
}
