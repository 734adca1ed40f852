package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.TestCerts;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' --remote against a node whose doors speak TLS and want tokens: they speak TLS
 * when told the node's CA (DGAD_TLS_CA) and send the tokens of their configuration
 * (DGAD_GRPC_TOKEN, DGAD_WEB_TOKEN); without them they are refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteTlsTest {

  private static final String GRPC_TOKEN = "grpc-token-for-tests";
  private static final String WEB_TOKEN = "web-token-for-tests";

  @TempDir
  static Path dir;
  private static TestCerts ca;
  private static TestNode node;
  private static int grpcPort;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCerts.ca(dir, "mesh-ca");
    TestCerts.Pair server = ca.server("node");
    grpcPort = RedisServer.freePort();
    node = TestNode.start("remote-tls", conf -> {
      conf.getJsonObject("node").put("roles", new JsonArray().add("classifier").add("redis").add("web").add("grpc"));
      conf.getJsonObject("grpc").put("host", "127.0.0.1").put("port", grpcPort).put("dgad3Port", 0).put("token", GRPC_TOKEN);
      conf.getJsonObject("web").put("token", WEB_TOKEN);
      conf.getJsonObject("tls").put("certPath", server.cert().toString()).put("keyPath", server.key().toString());
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** A client's configuration: this environment over the defaults, as bin/dgad loads it. */
  private static JsonObject client(Map<String, String> env) {
    return NodeConfig.load(null, env);
  }

  private static String classify(JsonObject conf) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ClassifyCommand.run(new String[] {"-d", "google.com", "--remote", "127.0.0.1:" + grpcPort}, conf,
        new ByteArrayInputStream(new byte[0]), out, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void classifyRemoteSpeaksTlsAndSendsTheGrpcToken() throws Exception {
    String line = classify(client(Map.of("DGAD_TLS_CA", ca.caCert.toString(), "DGAD_GRPC_TOKEN", GRPC_TOKEN)));
    assertTrue(line.contains("\"domain\":\"google.com\""), line);

    Exception noToken = assertThrows(Exception.class, () -> classify(client(Map.of("DGAD_TLS_CA", ca.caCert.toString()))));
    assertTrue(noToken.getMessage().contains("authorization: Bearer"), noToken.getMessage());
    assertThrows(Exception.class, () -> classify(client(Map.of("DGAD_GRPC_TOKEN", GRPC_TOKEN))), "plaintext");
  }

  @Test
  void jobRemoteSpeaksTlsAndSendsTheWebToken() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = JobCli.run(new String[] {"list", "--remote", "127.0.0.1:" + node.webPort},
        client(Map.of("DGAD_TLS_CA", ca.caCert.toString(), "DGAD_WEB_TOKEN", WEB_TOKEN)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, code);
    new JsonArray(out.toString(StandardCharsets.UTF_8)); // the jobs, as JSON

    Exception noToken = assertThrows(Exception.class, () -> JobCli.run(new String[] {"list", "--remote", "127.0.0.1:" + node.webPort},
        client(Map.of("DGAD_TLS_CA", ca.caCert.toString())), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream())));
    assertTrue(noToken.getMessage().contains("HTTP 401"), noToken.toString());
  }
}
