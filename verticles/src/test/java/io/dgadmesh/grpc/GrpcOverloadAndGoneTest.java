package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.InfoRequest;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.node.Node;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.SevereLog;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC doors in front of classifiers that refuse work (queues full) or that the test holds:
 * an overload is RESOURCE_EXHAUSTED on every call shape, and the names of a call whose client has
 * gone (a cancel, a deadline) that are not yet sent to the classifiers are never sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcOverloadAndGoneTest {

  private Vertx vertx;
  private int port;
  private int dgad3Port;
  private GrpcClient client;
  private HeldClassifier classifier;
  private SevereLog severe;

  @BeforeEach
  void deploy() throws Exception {
    severe = SevereLog.open();
    port = RedisServer.freePort();
    dgad3Port = RedisServer.freePort();
    JsonObject conf = NodeConfig.load(null, Map.of("LISTENING_PORT", Integer.toString(port), "DGAD_NODE_ID", "held"));
    conf.getJsonObject("grpc").put("host", "127.0.0.1").put("dgad3Port", dgad3Port).put("maxPendingNames", 12_000);
    vertx = Node.vertx();
    classifier = new HeldClassifier(vertx);
    vertx.deployVerticle(GrpcVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await();
    client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(8 << 20)); // 10,000 results
  }

  @AfterEach
  void close() {
    vertx.close().await();
    severe.close();
    assertEquals(List.of(), severe.records(), "nothing logged at SEVERE");
  }

  private static ClassifyRequest names(int n) {
    ClassifyRequest.Builder b = ClassifyRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      b.addNames("n" + i + ".example.com");
    }
    return b.build();
  }

  @Test
  void overloadedClassifiersAreResourceExhaustedOnEveryCall() {
    classifier.overloaded();
    GrpcCalls.Call<Domain> d4 = GrpcCalls.call(client, port, GrpcVerticleTest.DGAD4,
        List.of(Domain.newBuilder().setFqdn("google.com").build())).await();
    GrpcCalls.Call<Classification> d3 = GrpcCalls.call(client, dgad3Port, GrpcVerticleTest.DGAD3,
        List.of(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn("google.com").build())).await();
    GrpcCalls.Call<ClassifyResponse> batch = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(3000))).await();
    GrpcCalls.Call<ClassifyResponse> stream = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyStream,
        List.of(names(2), names(2))).await();
    for (GrpcCalls.Call<?> c : List.of(d4, d3, batch, stream)) {
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, c.status(), c.message());
      assertTrue(c.message().contains("overloaded"), c.message());
    }
  }

  @Test
  void theNamesOfACancelledBatchAreNotSentOnceItsClientHasGone() {
    long dropped = NodeMetrics.answersDropped();
    GrpcClientRequest<ClassifyRequest, ClassifyResponse> call = client.request(
        SocketAddress.inetSocketAddress(port, "127.0.0.1"), DgaClassifierGrpcClient.ClassifyBatch).await();
    call.end(names(10_000));
    Poll.get(Poll.until(vertx, 10_000, "the first parts", () -> Future.succeededFuture(classifier.requests() >= 2)), 15_000);
    call.cancel();
    // A call after the cancel on the same connection: the server has handled the reset once it answers.
    GrpcCalls.call(client, port, DgaClassifierGrpcClient.Info, List.of(InfoRequest.getDefaultInstance())).await();
    assertWorkOfTheGoneCallStopsAt(2 * Parts.PART, dropped);
  }

  @Test
  void theNamesOfABatchPastItsDeadlineAreNotSentAndItGetsDeadlineExceeded() {
    long dropped = NodeMetrics.answersDropped();
    GrpcClientRequest<ClassifyRequest, ClassifyResponse> call = client.request(
        SocketAddress.inetSocketAddress(port, "127.0.0.1"), DgaClassifierGrpcClient.ClassifyBatch).await();
    call.timeout(300, TimeUnit.MILLISECONDS); // sent as grpc-timeout: the server keeps the deadline
    call.end(names(10_000));
    GrpcStatus status = call.response().compose(r -> r.end().transform(ar -> Future.succeededFuture(r.status()))).await();
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, status);
    assertWorkOfTheGoneCallStopsAt(2 * Parts.PART, dropped);
  }

  @Test
  void theNamesHeldForCallsInProgressAreBoundedByMaxPendingNames() {
    Future<GrpcCalls.Call<ClassifyResponse>> first = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(10_000)));
    Poll.get(Poll.until(vertx, 10_000, "the first call at the classifiers",
        () -> Future.succeededFuture(classifier.requests() >= 1)), 15_000);
    GrpcCalls.Call<ClassifyResponse> over = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(3_000))).await();
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, over.status(), over.message());
    assertTrue(over.message().contains("grpc.maxPendingNames"), over.message());

    assertEquals(GrpcStatus.OK, answered(first).status());
    assertEquals(10_000, first.result().replies().get(0).getResultsCount());
    GrpcCalls.Call<ClassifyResponse> after = answered(GrpcCalls.call(client, port,
        DgaClassifierGrpcClient.ClassifyBatch, List.of(names(3_000))));
    assertEquals(GrpcStatus.OK, after.status(), "the names of the answered call are free again");
  }

  /** The call's outcome, the held classifier answering whatever it is sent meanwhile. */
  private <T> T answered(Future<T> call) {
    Poll.get(Poll.until(vertx, 20_000, "the call answered", () -> {
      vertx.runOnContext(v -> classifier.answerAll());
      return Future.succeededFuture(call.isComplete());
    }), 25_000);
    return call.result();
  }

  /** Answers what the classifier holds until the door drops the call's answer; no part is sent after. */
  private void assertWorkOfTheGoneCallStopsAt(int names, long droppedBefore) {
    Poll.get(Poll.until(vertx, 10_000, "the gone call's answer dropped", () -> {
      vertx.runOnContext(v -> classifier.answerAll());
      return Future.succeededFuture(NodeMetrics.answersDropped() > droppedBefore);
    }), 15_000);
    assertEquals(names, classifier.names(), "names sent to the classifiers for a call of 10,000 whose client left");
  }
}
