package io.dgadmesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The gRPC ports' limits: their shipped defaults and their ranges. */
class GrpcConfTest {

  private static NodeSettings grpc(JsonObject section) {
    return NodeSettings.of(new JsonObject().put("grpc", section));
  }

  @Test
  void theLimitsHaveDefaults() {
    GrpcConf g = grpc(new JsonObject()).grpc();
    assertEquals(200_000, g.maxPendingNames());
    assertEquals(300, g.idleTimeoutSeconds());
    assertTrue(g.idleTimeout());
    assertEquals(2_000, g.maxConnections());
    assertEquals(false, grpc(new JsonObject().put("idleTimeoutSeconds", 0)).grpc().idleTimeout(), "0 is off");
  }

  @Test
  void theLimitsAreChecked() {
    assertEquals("grpc.maxConnections: must be between 1 and 1000000, got 0", assertThrows(NodeConfig.ConfigException.class,
        () -> grpc(new JsonObject().put("maxConnections", 0))).getMessage());
    assertEquals("grpc.idleTimeoutSeconds: must be between 0 and 86400, got -1", assertThrows(NodeConfig.ConfigException.class,
        () -> grpc(new JsonObject().put("idleTimeoutSeconds", -1))).getMessage());
    String small = assertThrows(NodeConfig.ConfigException.class,
        () -> grpc(new JsonObject().put("maxPendingNames", 5_000))).getMessage();
    assertTrue(small.startsWith("grpc.maxPendingNames: must be at least grpc.maxBatchNames (10000)"), small);
  }
}
