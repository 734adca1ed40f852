package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.node.Node;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** The CLI on files, in-process and against a node's native gRPC API. */
class ClassifyCommandTest {

  private static List<String> run(JsonObject conf, String stdin, String... argv) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ClassifyCommand.run(argv, conf, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static List<String> input() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      names.add(i % 3 == 0 ? Names.randomDga(20, i) : i % 3 == 1 ? "site" + i + ".example.net" : "bad_" + i + "!");
    }
    names.set(0, "xjwqkfzvbnmtrplhgdsq.com"); // a name every model calls DGA (2% of random ones score under the threshold)
    names.set(1, "google.com");
    return names;
  }

  private static void checkJsonl(List<String> names, List<String> lines) {
    assertEquals(names.size(), lines.size(), "one line per input name");
    for (int i = 0; i < names.size(); i++) {
      JsonObject j = new JsonObject(lines.get(i));
      if (names.get(i).startsWith("bad_")) {
        assertEquals(names.get(i), j.getString("domain"));
        assertTrue(j.getString("error").contains("outside a host name"));
      } else {
        assertEquals(names.get(i), j.getString("domain"), "input order kept at line " + i);
        assertEquals(List.of("domain", "is_dga", "score", "family", "family_score", "model", "point"),
            new ArrayList<>(j.fieldNames()));
        assertTrue(j.getString("model").matches(".+@[0-9a-f]{12}"), "the version of the model that judged it: " + j);
        assertEquals("balanced", j.getString("point"), "the operating point that judged it: " + j);
      }
    }
    JsonObject google = new JsonObject(lines.get(1));
    assertFalse(google.getBoolean("is_dga"));
    assertNull(google.getString("family"));
    assertTrue(new JsonObject(lines.get(0)).getBoolean("is_dga"));
  }

  @Test
  void classifiesAFileInProcess(@TempDir Path dir) throws Exception {
    List<String> names = input();
    Path file = dir.resolve("names.txt");
    Files.write(file, names);
    JsonObject conf = NodeConfig.load(null, Map.of());
    checkJsonl(names, run(conf, "", "-f", file.toString()));

    List<String> csv = run(conf, String.join("\n", names.subList(0, 10)) + "\n\n", "-f", "-", "--format", "csv",
        "-d", "google.com");
    assertEquals("domain,is_dga,score,family,family_score,error,point", csv.get(0));
    assertTrue(csv.get(1).endsWith(",balanced"), "the operating point that judged, last: " + csv.get(1));
    assertEquals(12, csv.size(), "header, -d name, 10 stdin names; blank lines skipped");
    assertTrue(csv.get(1).startsWith("google.com,false,"));
    assertTrue(csv.get(4).startsWith("bad_2!,,,,,"));

    List<String> txt = run(conf, "", "-d", "Google.COM.", "--format", "txt");
    assertTrue(txt.get(0).startsWith("google.com\tok\t"), txt.get(0));
  }

  @Test
  void classifiesThroughARemoteNode(@TempDir Path dir) throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = NodeConfig.load(null, Map.of("LISTENING_PORT", Integer.toString(port)));
    conf.getJsonObject("grpc").put("host", "127.0.0.1").put("dgad3Port", RedisServer.freePort());
    conf.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("grpc"));
    Vertx vertx = Vertx.vertx();
    try {
      Node.deploy(vertx, conf).toCompletionStage().toCompletableFuture().get();
      List<String> names = input();
      Path file = dir.resolve("names.txt");
      Files.write(file, names);
      checkJsonl(names, run(NodeConfig.load(null, Map.of()), "", "-f", file.toString(), "--remote", "127.0.0.1:" + port));

      // Long lines: 600 invalid names of 1,000 characters (their answers echo them: more than a
      // Vert.x client takes by default in one message) and one line of 5 MB (more than the node
      // takes in one request). Every line still gets its answer, in order.
      List<String> longLines = new ArrayList<>(List.of("google.com"));
      for (int i = 0; i < 600; i++) {
        longLines.add("x".repeat(1000) + i + ".com");
      }
      longLines.add("y".repeat(5 << 20) + ".com");
      longLines.add("example.org");
      Path longFile = dir.resolve("long.txt");
      Files.write(longFile, longLines);
      List<String> out = run(NodeConfig.load(null, Map.of()), "", "-f", longFile.toString(), "--remote", "127.0.0.1:" + port);
      assertEquals(longLines.size(), out.size());
      assertFalse(new JsonObject(out.get(0)).getBoolean("is_dga"));
      assertTrue(new JsonObject(out.get(300)).getString("error").contains("longer than"), out.get(300));
      assertTrue(new JsonObject(out.get(601)).getString("error").contains("longer than 253"));
      assertEquals("example.org", new JsonObject(out.get(602)).getString("domain"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void refusesBadArguments() {
    JsonObject conf = NodeConfig.load(null, Map.of());
    assertThrows(IllegalArgumentException.class, () -> run(conf, "", "--format", "xml", "-d", "a.com"));
    assertThrows(IllegalArgumentException.class, () -> run(conf, ""));
    ParameterException port = assertThrows(ParameterException.class,
        () -> run(conf, "", "-d", "a.com", "--remote", "localhost:abc"));
    assertEquals("Invalid value for option '--remote': needs HOST:PORT with a port from 1 to 65535, got 'localhost:abc'",
        port.getMessage());
    ParameterException noPort = assertThrows(ParameterException.class, () -> run(conf, "", "-d", "a.com", "--remote", "localhost"));
    assertEquals("Invalid value for option '--remote': needs HOST:PORT, got 'localhost'", noPort.getMessage());
  }

  /** A name as given may hold tabs or line breaks: in txt it stays one field on one line. */
  @Test
  void txtKeepsOneLinePerName() throws Exception {
    JsonObject conf = NodeConfig.load(null, Map.of());
    List<String> txt = run(conf, "", "-d", "evil\nFAKE.com\tDGA", "-d", "\tgoogle.com", "--format", "txt");
    assertEquals(2, txt.size(), String.join("|", txt));
    assertTrue(txt.get(0).startsWith("evil\\nFAKE.com\\tDGA\tinvalid\t"), txt.get(0));
    assertEquals(3, txt.get(0).split("\t").length);
    assertTrue(txt.get(1).startsWith("google.com\tok\t"), "a valid name is shown normalised: " + txt.get(1));
  }
}
