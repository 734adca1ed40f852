package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gRPC door whose node has no classifier says so instead of hanging. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GrpcWithoutClassifierTest {

  @Test
  void unavailableAndNotServing(Vertx vertx, VertxTestContext ctx) throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = NodeConfig.load(null, Map.of("LISTENING_PORT", Integer.toString(port)));
    conf.getJsonObject("grpc").put("host", "127.0.0.1").put("dgad3Port", 0);
    GrpcClient client = GrpcClient.client(vertx);
    vertx.deployVerticle(GrpcVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .compose(v -> Future.all(
            GrpcCalls.call(client, port, GrpcVerticleTest.DGAD4, List.of(Domain.newBuilder().setFqdn("google.com").build())),
            // Vert.x answers SERVING for the server ("") whatever is registered; services carry the check.
            GrpcCalls.call(client, port, GrpcVerticleTest.HEALTH,
                List.of(HealthCheckRequest.newBuilder().setService("Classifier").build()))))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          assertEquals(GrpcStatus.UNAVAILABLE, cf.<GrpcCalls.Call<Domain>>resultAt(0).status());
          assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING,
              cf.<GrpcCalls.Call<HealthCheckResponse>>resultAt(1).replies().get(0).getStatus());
          ctx.completeNow();
        })));
  }
}
