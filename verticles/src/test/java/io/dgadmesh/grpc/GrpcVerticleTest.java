package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.InfoRequest;
import io.dgadmesh.grpc.v1.InfoResponse;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GrpcVerticleTest {

  static final ServiceMethod<Domain, Domain> DGAD4 = ServiceMethod.client(ServiceName.create("Classifier"),
      "GetClassification", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(Domain.newBuilder()));
  static final ServiceMethod<Classification, io.dgadmesh.grpc.dgad3.Domain> DGAD3 = ServiceMethod.client(
      ServiceName.create("Classifier"), "GetClassification", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(Classification.newBuilder()));
  static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> HEALTH = ServiceMethod.client(
      ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));
  static final ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> REFLECTION = ServiceMethod.client(
      ServiceName.create("grpc.reflection.v1.ServerReflection"), "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));

  private int port;
  private int dgad3Port;
  private GrpcClient client;
  private final String dga = Names.randomDga(20, 7);

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws Exception {
    port = RedisServer.freePort();
    dgad3Port = RedisServer.freePort();
    JsonObject conf = NodeConfig.load(null, Map.of("LISTENING_PORT", Integer.toString(port), "DGAD_NODE_ID", "g1"));
    conf.getJsonObject("grpc").put("host", "127.0.0.1").put("dgad3Port", dgad3Port);
    client = GrpcClient.client(vertx);
    vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .compose(v -> vertx.deployVerticle(GrpcVerticle.class.getName(),
            new DeploymentOptions().setConfig(conf).setInstances(2)))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Domain d4(String fqdn) {
    return Domain.newBuilder().setFqdn(fqdn).build();
  }

  @Test
  void dgad4DoorSpeaksDgad4(Vertx vertx, VertxTestContext ctx) {
    Future.all(GrpcCalls.call(client, port, DGAD4, List.of(d4("google.com"))),
            GrpcCalls.call(client, port, DGAD4, List.of(d4(dga))),
            GrpcCalls.call(client, port, DGAD4, List.of(d4("bad_name!.com"))))
        // the door stays up after a bad name
        .compose(cf -> GrpcCalls.call(client, port, DGAD4, List.of(d4("Wikipedia.ORG."))).map(w -> List.of(
            cf.<GrpcCalls.Call<Domain>>resultAt(0), cf.resultAt(1), cf.resultAt(2), w)))
        .onComplete(ctx.succeeding(calls -> ctx.verify(() -> {
          Domain google = calls.get(0).replies().get(0);
          assertEquals(GrpcStatus.OK, calls.get(0).status());
          assertEquals("google.com", google.getFqdn());
          assertFalse(google.getIsDga());
          assertEquals("N/A", google.getFamily());
          assertEquals(1, google.getWordsCount(), "no subdomain: one word, the registrable label");
          assertEquals("google", google.getWords(0).getValue());
          assertEquals("benign", google.getWords(0).getBinaryLabel());
          Domain random = calls.get(1).replies().get(0);
          assertTrue(random.getIsDga());
          assertNotEquals("N/A", random.getFamily());
          assertEquals("DGA", random.getWords(0).getBinaryLabel());
          assertTrue(random.getWords(0).getBinaryScore() > 0.5f);
          assertEquals(GrpcStatus.INVALID_ARGUMENT, calls.get(2).status());
          assertTrue(calls.get(2).message().contains("characters outside a host name"), calls.get(2).message());
          assertEquals(GrpcStatus.OK, calls.get(3).status());
          assertEquals("Wikipedia.ORG.", calls.get(3).replies().get(0).getFqdn(), "the name as sent");
          assertEquals("wikipedia", calls.get(3).replies().get(0).getWords(0).getValue(), "the label, normalised");
          ctx.completeNow();
        })));
  }

  @Test
  void dgad3DoorSpeaksDgad3(Vertx vertx, VertxTestContext ctx) {
    var d3 = io.dgadmesh.grpc.dgad3.Domain.newBuilder();
    Future.all(GrpcCalls.call(client, dgad3Port, DGAD3, List.of(d3.setFqdn("google.com").build())),
            GrpcCalls.call(client, dgad3Port, DGAD3, List.of(d3.setFqdn(dga).build())),
            GrpcCalls.call(client, dgad3Port, DGAD3, List.of(d3.setFqdn("").build())))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          GrpcCalls.Call<Classification> google = cf.resultAt(0);
          assertEquals("ok", google.replies().get(0).getBinaryClassification());
          assertEquals("google.com", google.replies().get(0).getFqdn());
          GrpcCalls.Call<Classification> random = cf.resultAt(1);
          assertEquals("DGA", random.replies().get(0).getBinaryClassification());
          GrpcCalls.Call<Classification> empty = cf.resultAt(2);
          assertEquals(GrpcStatus.INVALID_ARGUMENT, empty.status());
          assertTrue(empty.message().contains("empty name"));
          ctx.completeNow();
        })));
  }

  @Test
  void nativeBatchStreamAndInfo(Vertx vertx, VertxTestContext ctx) {
    ClassifyRequest batch = ClassifyRequest.newBuilder().addNames("google.com").addNames("a..b")
        .addNames(dga).addNames("x".repeat(300)).build();
    List<ClassifyRequest> stream = List.of(
        ClassifyRequest.newBuilder().addNames("example.com").build(),
        ClassifyRequest.newBuilder().addNames(dga).addNames("bad name").build(),
        ClassifyRequest.newBuilder().build(),
        ClassifyRequest.newBuilder().addNames("github.com").build());
    Future.all(GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch, List.of(batch)),
            GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyStream, stream),
            GrpcCalls.call(client, port, DgaClassifierGrpcClient.Info, List.of(InfoRequest.getDefaultInstance())))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          GrpcCalls.Call<ClassifyResponse> b = cf.resultAt(0);
          assertEquals(GrpcStatus.OK, b.status());
          List<Result> rs = b.replies().get(0).getResultsList();
          assertEquals(4, rs.size());
          assertFalse(rs.get(0).getIsDga());
          assertEquals("", rs.get(0).getError());
          assertTrue(rs.get(1).getError().contains("empty label"));
          assertEquals("a..b", rs.get(1).getDomain());
          assertTrue(rs.get(2).getIsDga());
          assertFalse(rs.get(2).getFamily().isEmpty());
          assertTrue(rs.get(3).getError().contains("253"));

          GrpcCalls.Call<ClassifyResponse> s = cf.resultAt(1);
          assertEquals(GrpcStatus.OK, s.status());
          assertEquals(4, s.replies().size(), "one response per request");
          assertEquals("example.com", s.replies().get(0).getResults(0).getDomain());
          assertTrue(s.replies().get(1).getResults(0).getIsDga());
          assertFalse(s.replies().get(1).getResults(1).getError().isEmpty());
          assertEquals(0, s.replies().get(2).getResultsCount());
          assertEquals("github.com", s.replies().get(3).getResults(0).getDomain());

          GrpcCalls.Call<InfoResponse> info = cf.resultAt(2);
          assertEquals("g1", info.replies().get(0).getNodeId());
          String version = info.replies().get(0).getModelVersion();
          assertTrue(version.matches(".+@[0-9a-f]{12}"), "declared version @ content hash: " + version);
          // Every judged name names the model that judged it (field 8); an invalid one names none.
          assertEquals(version, rs.get(0).getModel());
          assertEquals(version, rs.get(2).getModel());
          assertEquals("", rs.get(1).getModel());
          assertEquals(version, s.replies().get(3).getResults(0).getModel());
          assertTrue(info.replies().get(0).getFamiliesCount() > 0);
          // And the operating point that judged it (field 9); Info names it and lists the model's points.
          assertEquals("balanced", rs.get(0).getPoint());
          assertEquals("", rs.get(1).getPoint());
          assertEquals("balanced", info.replies().get(0).getPoint());
          assertEquals(info.replies().get(0).getThreshold(), info.replies().get(0).getPointsMap().get("balanced"));
          try (var shipped = io.dgadmesh.model.DgaModel.load(io.dgadmesh.testing.ModelFiles.shipped(), 1)) {
            assertEquals(shipped.spec().operatingPoints(), info.replies().get(0).getPointsMap());
          }
          ctx.completeNow();
        })));
  }

  @Test
  void healthAndReflectionOnBothPorts(Vertx vertx, VertxTestContext ctx) {
    ServerReflectionRequest list = ServerReflectionRequest.newBuilder().setListServices("*").build();
    Future.all(GrpcCalls.call(client, port, HEALTH, List.of(HealthCheckRequest.getDefaultInstance())),
            GrpcCalls.call(client, dgad3Port, HEALTH,
                List.of(HealthCheckRequest.newBuilder().setService("Classifier").build())),
            GrpcCalls.call(client, port, REFLECTION, List.of(list)),
            GrpcCalls.call(client, dgad3Port, REFLECTION, List.of(list)))
        .onComplete(ctx.succeeding(cf -> ctx.verify(() -> {
          assertEquals(HealthCheckResponse.ServingStatus.SERVING,
              cf.<GrpcCalls.Call<HealthCheckResponse>>resultAt(0).replies().get(0).getStatus());
          assertEquals(HealthCheckResponse.ServingStatus.SERVING,
              cf.<GrpcCalls.Call<HealthCheckResponse>>resultAt(1).replies().get(0).getStatus());
          List<String> main = cf.<GrpcCalls.Call<ServerReflectionResponse>>resultAt(2).replies().get(0)
              .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
          assertTrue(main.containsAll(List.of("Classifier", "dgadmesh.v1.DgaClassifier", "grpc.health.v1.Health")), main.toString());
          List<String> legacy = cf.<GrpcCalls.Call<ServerReflectionResponse>>resultAt(3).replies().get(0)
              .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
          assertTrue(legacy.contains("Classifier"), legacy.toString());
          assertFalse(legacy.contains("dgadmesh.v1.DgaClassifier"));
          ctx.completeNow();
        })));
  }

  /** gRPC health tells what /health/ready tells: a part's reported problem makes the services NOT_SERVING. */
  @Test
  void healthFollowsReadiness(Vertx vertx, VertxTestContext ctx) {
    HealthCheckRequest classifier = HealthCheckRequest.newBuilder().setService("dgadmesh.v1.DgaClassifier").build();
    io.dgadmesh.metrics.Readiness.of(vertx).register("test-problem", () -> "a part is stuck");
    GrpcCalls.call(client, port, HEALTH, List.of(classifier))
        .compose(down -> {
          io.dgadmesh.metrics.Readiness.of(vertx).unregister("test-problem");
          return GrpcCalls.call(client, port, HEALTH, List.of(classifier)).map(up -> List.of(down, up));
        })
        .onComplete(ctx.succeeding(calls -> ctx.verify(() -> {
          assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING, calls.get(0).replies().get(0).getStatus());
          assertEquals(HealthCheckResponse.ServingStatus.SERVING, calls.get(1).replies().get(0).getStatus());
          ctx.completeNow();
        })));
  }
}
