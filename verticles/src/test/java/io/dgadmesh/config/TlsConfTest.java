package io.dgadmesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls section and the issue-14 keys beside it, from the environment as users set them. */
class TlsConfTest {

  private static NodeSettings settings(Map<String, String> env) {
    return NodeSettings.read(NodeConfig.load(null, env));
  }

  @Test
  void offByDefault() {
    NodeSettings s = settings(Map.of());
    assertFalse(s.tls().enabled());
    assertFalse(s.tls().clientAuth());
    assertEquals("", s.grpc().token());
    assertFalse(s.redis().server().fromUrl());
    assertEquals("", s.classifier().modelPath());
  }

  @Test
  void aCertificateAndItsKeyTurnItOn(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("node.crt"), "pem");
    Path key = Files.writeString(dir.resolve("node.key"), "pem");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
    NodeSettings s = settings(Map.of("DGAD_TLS_CERT", cert.toString(), "DGAD_TLS_KEY", key.toString(),
        "DGAD_TLS_CLIENT_CA", ca.toString()));
    assertTrue(s.tls().enabled());
    assertTrue(s.tls().clientAuth());
  }

  @Test
  void halfAPairOrAMissingFileIsRefusedByName(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("node.crt"), "pem");
    String noKey = assertThrows(ConfigException.class, () -> settings(Map.of("DGAD_TLS_CERT", cert.toString())))
        .getMessage();
    assertTrue(noKey.contains("tls.keyPath"), noKey);
    String missing = assertThrows(ConfigException.class, () -> settings(Map.of("DGAD_TLS_CERT", cert.toString(),
        "DGAD_TLS_KEY", dir.resolve("absent.key").toString()))).getMessage();
    assertTrue(missing.contains("tls.keyPath") && missing.contains("absent.key"), missing);
    String clientCaAlone = assertThrows(ConfigException.class,
        () -> settings(Map.of("DGAD_TLS_CLIENT_CA", cert.toString()))).getMessage();
    assertTrue(clientCaAlone.contains("tls.clientCaPath"), clientCaAlone);
    String model = assertThrows(ConfigException.class,
        () -> settings(Map.of("DGAD_MODEL", dir.resolve("absent.onnx").toString()))).getMessage();
    assertTrue(model.contains("classifier.modelPath"), model);
  }

  @Test
  void secretsAreNeverShownInErrors() {
    String grpc = assertThrows(ConfigException.class, () -> settings(Map.of("DGAD_GRPC_TOKEN", "short"))).getMessage();
    assertTrue(grpc.contains("grpc.token") && !grpc.contains("short"), grpc);
    assertEquals("0123456789abcdef", settings(Map.of("DGAD_GRPC_TOKEN", "0123456789abcdef")).grpc().token());
  }
}
