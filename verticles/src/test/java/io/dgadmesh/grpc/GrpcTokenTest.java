package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.InfoRequest;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * grpc.token: every call on both gRPC ports (dgad 4.x and 3.x, the native batch, stream and info,
 * reflection) needs {@code authorization: Bearer <token>}, or ends UNAUTHENTICATED before its
 * messages are read; health stays open.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcTokenTest {

  private static final String TOKEN = "s3cret-token-for-tests";
  /** ClassifyBatch as raw bytes: a names field that claims 100 bytes and holds one, which the door refuses if it reads it. */
  private static final ServiceMethod<Buffer, Buffer> RAW_BATCH = ServiceMethod.client(
      ServiceName.create("dgadmesh.v1.DgaClassifier"), "ClassifyBatch", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private static GrpcTestNode node;
  private static int dgad3Port;
  private static GrpcClient client;

  @BeforeAll
  static void start() throws Exception {
    dgad3Port = RedisServer.freePort();
    node = GrpcTestNode.start("token", conf -> conf.getJsonObject("grpc").put("dgad3Port", dgad3Port).put("token", TOKEN));
    client = GrpcClient.client(node.vertx);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** Every guarded call, by name: the status and message it gets with this metadata. */
  private static Map<String, Function<Map<String, String>, GrpcCalls.Call<?>>> calls() {
    ClassifyRequest two = ClassifyRequest.newBuilder().addNames("google.com").addNames("example.org").build();
    Map<String, Function<Map<String, String>, GrpcCalls.Call<?>>> calls = new LinkedHashMap<>();
    calls.put("dgad 4.x", h -> call(node.port, GrpcVerticleTest.DGAD4, List.of(Domain.newBuilder().setFqdn("google.com").build()), h));
    calls.put("dgad 3.x", h -> call(dgad3Port, GrpcVerticleTest.DGAD3,
        List.of(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn("google.com").build()), h));
    calls.put("native batch", h -> call(node.port, DgaClassifierGrpcClient.ClassifyBatch, List.of(two), h));
    calls.put("native stream", h -> call(node.port, DgaClassifierGrpcClient.ClassifyStream, List.of(two, two), h));
    calls.put("native info", h -> call(node.port, DgaClassifierGrpcClient.Info, List.of(InfoRequest.getDefaultInstance()), h));
    ServerReflectionRequest list = ServerReflectionRequest.newBuilder().setListServices("*").build();
    calls.put("reflection (4.x port)", h -> call(node.port, GrpcVerticleTest.REFLECTION, List.of(list), h));
    calls.put("reflection (3.x port)", h -> call(dgad3Port, GrpcVerticleTest.REFLECTION, List.of(list), h));
    return calls;
  }

  private static <Req, Resp> GrpcCalls.Call<Resp> call(int port, ServiceMethod<Resp, Req> method, List<Req> messages,
                                                     Map<String, String> metadata) {
    return GrpcCalls.call(client, port, method, messages, metadata).await();
  }

  @Test
  void withoutTheTokenEveryCallIsUnauthenticated() {
    calls().forEach((name, call) -> {
      GrpcCalls.Call<?> c = call.apply(Map.of());
      assertEquals(GrpcStatus.UNAUTHENTICATED, c.status(), name);
      assertTrue(c.message().contains("authorization: Bearer"), name + ": " + c.message());
      assertTrue(c.replies().isEmpty(), name);
    });
  }

  @Test
  void withAWrongTokenEveryCallIsUnauthenticated() {
    for (String wrong : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ", "Basic " + TOKEN, TOKEN)) {
      calls().forEach((name, call) -> {
        GrpcCalls.Call<?> c = call.apply(Map.of("authorization", wrong));
        assertEquals(GrpcStatus.UNAUTHENTICATED, c.status(), name + " with '" + wrong + "'");
      });
    }
  }

  @Test
  void withTheTokenEveryCallIsAnswered() {
    calls().forEach((name, call) -> {
      GrpcCalls.Call<?> c = call.apply(Map.of("authorization", "Bearer " + TOKEN));
      assertEquals(GrpcStatus.OK, c.status(), name + ": " + c.message());
      assertTrue(!c.replies().isEmpty(), name);
    });
    GrpcCalls.Call<?> lower = calls().get("native batch").apply(Map.of("authorization", "bearer " + TOKEN));
    assertEquals(GrpcStatus.OK, lower.status(), "the scheme in lower case");
    assertEquals(2, ((GrpcCalls.Call<?>) calls().get("native stream").apply(Map.of("authorization", "Bearer " + TOKEN)))
        .replies().size());
  }

  @Test
  void healthStaysOpenOnBothPorts() {
    for (int port : List.of(node.port, dgad3Port)) {
      GrpcCalls.Call<HealthCheckResponse> c = call(port, GrpcVerticleTest.HEALTH, List.of(HealthCheckRequest.getDefaultInstance()), Map.of());
      assertEquals(GrpcStatus.OK, c.status(), "health on " + port);
      assertEquals(HealthCheckResponse.ServingStatus.SERVING, c.replies().get(0).getStatus());
    }
  }

  @Test
  void aRefusedCallIsNotRead() {
    List<Buffer> malformed = List.of(Buffer.buffer(new byte[] {0x0a, 0x64, 0x61}));
    Future<GrpcCalls.Call<Buffer>> without = GrpcCalls.call(client, node.port, RAW_BATCH, malformed, Map.of());
    assertEquals(GrpcStatus.UNAUTHENTICATED, without.await().status());
    GrpcCalls.Call<Buffer> with = GrpcCalls.call(client, node.port, RAW_BATCH, malformed,
        Map.of("authorization", "Bearer " + TOKEN)).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, with.status(), "read once the token is right: " + with.message());
  }
}
