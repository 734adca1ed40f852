package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.SevereLog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ClassifyStream clients that send many 10,000-name messages and never read their answers (their
 * HTTP/2 windows stay shut): each is read up to its first message and no further, so the
 * classifiers get 10,000 names per such client, not everything it sends, and another client's
 * calls are answered at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GrpcStreamReadAheadTest {

  private static final int CLIENTS = 8;
  private static final int MESSAGES = 20;
  private static final int NAMES = 10_000;

  private GrpcTestNode node;
  private final AtomicInteger classified = new AtomicInteger();
  private SevereLog severe;

  @BeforeEach
  void deploy() throws Exception {
    severe = SevereLog.open();
    node = GrpcTestNode.start("readahead", conf -> { });
    node.vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (Bus.CLASSIFY.equals(ctx.message().address()) && ctx.message().body() instanceof JsonObject body) {
        classified.addAndGet(body.getJsonArray(Bus.NAMES).size());
      }
      ctx.next();
    });
  }

  @AfterEach
  void close() {
    node.close();
    severe.close();
    assertEquals(List.of(), severe.records(), "nothing logged at SEVERE");
  }

  /** One gRPC message on the wire: no compression, its length, its bytes. */
  private static Buffer frame(ClassifyRequest message) {
    byte[] bytes = message.toByteArray();
    return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  private static ClassifyRequest names(int client, int message) {
    ClassifyRequest.Builder b = ClassifyRequest.newBuilder();
    for (int i = 0; i < NAMES; i++) {
      b.addNames("c" + client + "m" + message + "n" + i + ".example.com");
    }
    return b.build();
  }

  @Test
  void aStreamClientThatNeverReadsIsNotReadFromEither() {
    // One connection per stream, as separate clients have.
    HttpClient http = node.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(1), new PoolOptions().setHttp2MaxSize(CLIENTS));
    List<HttpClientRequest> streams = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      HttpClientRequest req = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(node.port).setURI("/dgadmesh.v1.DgaClassifier/ClassifyStream")).await();
      req.putHeader("content-type", "application/grpc").putHeader("te", "trailers").setChunked(true);
      req.exceptionHandler(err -> { }); // the test resets the streams at its end
      req.response().onSuccess(resp -> resp.pause().exceptionHandler(err -> { })); // never reads: the window stays shut
      for (int m = 0; m < MESSAGES; m++) {
        req.write(frame(names(c, m))); // not awaited: flow control holds what the server does not read
      }
      streams.add(req);
    }
    Poll.get(Poll.until(node.vertx, 60_000, "every stream's first message sent to the classifiers",
        () -> Future.succeededFuture(classified.get() >= CLIENTS * NAMES)), 70_000);

    GrpcCalls.Call<ClassifyResponse> other = GrpcCalls.call(GrpcClient.client(node.vertx), node.port,
        DgaClassifierGrpcClient.ClassifyBatch, List.of(ClassifyRequest.newBuilder().addNames("google.com")
            .addNames("example.org").build())).await();
    assertEquals(GrpcStatus.OK, other.status(), other.message());
    assertEquals(2, other.replies().get(0).getResultsCount());
    assertEquals(CLIENTS * NAMES + 2, classified.get(),
        "names sent to the classifiers: one message per client that does not read, and the other call's");
    streams.forEach(HttpClientRequest::reset);
  }
}
