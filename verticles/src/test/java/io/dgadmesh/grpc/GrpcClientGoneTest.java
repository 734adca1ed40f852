package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.SevereLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that go away before their answer (a deadline, a killed process) on a node built as
 * bin/dgad builds it (Node.vertx()). Vert.x 5.0.x throws a NullPointerException when such an
 * answer is written; the node counts it as a dropped answer instead of logging a SEVERE stack
 * trace per call, and keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcClientGoneTest {

  private GrpcTestNode node;
  private Vertx vertx;
  private int port;
  private SevereLog severe;

  @BeforeEach
  void deploy() throws Exception {
    severe = SevereLog.open();
    // The model waits 300 ms for more names: the answers come after the clients have gone.
    node = GrpcTestNode.start("gone1", conf -> conf.getJsonObject("classifier").put("eagerWhenIdle", false)
        .put("deadlineMs", 300));
    vertx = node.vertx;
    port = node.port;
  }

  @AfterEach
  void close() {
    severe.close();
    node.close();
  }

  @Test
  void answersToCallsTheClientsResetAreDroppedQuietly() {
    assertDroppedQuietly(true);
  }

  @Test
  void answersToClientsThatClosedTheirConnectionAreDroppedQuietly() {
    assertDroppedQuietly(false);
  }

  /** The first call of a coalesced batch is reset; the seven calls answered with it still get their answers. */
  @Test
  void aClientThatLeavesDoesNotCostTheOthersInItsBatchTheirAnswers() {
    long before = NodeMetrics.answersDropped();
    GrpcClient client = GrpcClient.client(vertx);
    SocketAddress node = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    // All eight sent at once on one connection (the leaving call first), so the door coalesces them.
    var leaving = client.request(node, GrpcVerticleTest.DGAD4);
    Future<Void> leavingSent = leaving.compose(req -> req.end(Domain.newBuilder().setFqdn("leaving-qzvkwpd.com").build()));
    List<Future<GrpcCalls.Call<Domain>>> staying = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      staying.add(GrpcCalls.call(client, port, GrpcVerticleTest.DGAD4,
          List.of(Domain.newBuilder().setFqdn("stay" + i + ".example.com").build())));
    }
    leavingSent.await();
    leaving.result().cancel(); // within the classifier's 300 ms: before the batch is answered
    for (int i = 0; i < 7; i++) {
      GrpcCalls.Call<Domain> c = staying.get(i).await();
      assertEquals(GrpcStatus.OK, c.status());
      assertEquals("stay" + i + ".example.com", c.replies().get(0).getFqdn());
    }
    Poll.until(vertx, 10_000, "the leaving call's answer to be dropped",
        () -> Future.succeededFuture(NodeMetrics.answersDropped() - before >= 1)).await();
    assertEquals(List.of(), severe.records());
  }

  /** Eight calls whose clients leave (reset each call, or close the connection at once) before the model runs. */
  private void assertDroppedQuietly(boolean reset) {
    long before = NodeMetrics.answersDropped();
    int calls = 8;
    GrpcClient leaving = GrpcClient.client(vertx);
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      Domain name = Domain.newBuilder().setFqdn("x" + i + "qzvkwpd.com").build();
      sent.add(leaving.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), GrpcVerticleTest.DGAD4)
          .compose(req -> req.end(name).andThen(ar -> {
            if (reset) {
              req.cancel();
            } else {
              req.connection().shutdown(0, TimeUnit.MILLISECONDS);
            }
          })));
    }
    Future.join(sent).await();
    Poll.until(vertx, 10_000, "the answers to be dropped",
        () -> Future.succeededFuture(NodeMetrics.answersDropped() - before >= calls)).await();

    GrpcCalls.Call<Domain> ok = GrpcCalls.call(GrpcClient.client(vertx), port, GrpcVerticleTest.DGAD4,
        List.of(Domain.newBuilder().setFqdn("google.com").build())).await();
    assertEquals(GrpcStatus.OK, ok.status(), "the node still answers");
    assertEquals("google.com", ok.replies().get(0).getFqdn());
    assertEquals(List.of(), severe.records());
  }
}
