package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.SevereLog;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The native API's limits (grpc.maxBatchNames, grpc.maxMessageBytes) on a node built as bin/dgad
 * builds it: a request over them gets a status that says so, nothing is logged at SEVERE, and the
 * node goes on answering.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcLimitsTest {

  private GrpcTestNode node;
  private int port;
  private GrpcClient client;
  private SevereLog severe;

  @BeforeEach
  void deploy() throws Exception {
    severe = SevereLog.open();
    node = GrpcTestNode.start("limits", conf -> conf.getJsonObject("grpc").put("maxBatchNames", 100)
        .put("maxMessageBytes", 64 * 1024));
    port = node.port;
    client = GrpcClient.client(node.vertx);
  }

  @AfterEach
  void close() {
    severe.close();
    node.close();
  }

  private static ClassifyRequest names(int n, int length) {
    ClassifyRequest.Builder b = ClassifyRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      String label = "n" + i + "x".repeat(Math.max(0, length - 6));
      b.addNames(label + ".com");
    }
    return b.build();
  }

  @Test
  void aBatchOverMaxBatchNamesIsRefusedWithTheLimitInTheMessage() {
    GrpcCalls.Call<ClassifyResponse> over = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(101, 10))).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, over.status());
    assertTrue(over.message().contains("at most 100 names") && over.message().contains("101"), over.message());

    GrpcCalls.Call<ClassifyResponse> at = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(100, 10))).await();
    assertEquals(GrpcStatus.OK, at.status());
    assertEquals(100, at.replies().get(0).getResultsCount());
    assertEquals(List.of(), severe.records());
  }

  /** A stream whose second message is over maxMessageBytes, right behind a first one still being classified. */
  @Test
  void aStreamEndedByAnOversizedMessageLogsNothingSevere() {
    ClassifyRequest big = names(1000, 100); // about 100 KB, over the 64 KiB limit
    GrpcCalls.Call<ClassifyResponse> stream = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyStream,
        List.of(names(1, 10), big, names(1, 10))).await();
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, stream.status());

    GrpcCalls.Call<ClassifyResponse> after = GrpcCalls.call(client, port, DgaClassifierGrpcClient.ClassifyBatch,
        List.of(names(3, 10))).await();
    assertEquals(GrpcStatus.OK, after.status(), "the node still answers");
    assertEquals(3, after.replies().get(0).getResultsCount());
    assertEquals(List.of(), severe.records());
  }

  /**
   * Vert.x's NullPointerException for an answer whose client has reset the stream also reaches
   * Netty's own stream-closed listener, which logs it at SEVERE itself: the node counts it as a
   * dropped answer instead, and lets every other record of that logger through.
   */
  @Test
  void nettysReportOfAnAnswerToAGoneClientIsCountedNotLogged() {
    Logger netty = Logger.getLogger("io.netty.handler.codec.http2.DefaultHttp2Connection");
    NullPointerException gone = new NullPointerException("this.val$promise is null");
    gone.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.vertx.core.http.impl.VertxHttp2Stream$3", "cancel", "VertxHttp2Stream.java", 243)});
    long before = NodeMetrics.answersDropped();
    netty.log(Level.SEVERE, "Caught Throwable from listener onStreamClosed.", gone);
    assertEquals(1, NodeMetrics.answersDropped() - before);
    assertEquals(List.of(), severe.records());

    netty.log(Level.SEVERE, "something else", new IllegalStateException("not a gone client"));
    assertEquals(1, severe.records().size(), "other records still logged");
    assertEquals(1, NodeMetrics.answersDropped() - before);
  }
}
