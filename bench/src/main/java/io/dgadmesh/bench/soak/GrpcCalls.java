package io.dgadmesh.bench.soak;

import io.dgadmesh.bench.fuzz.Dgad4Answers;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.Result;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's calls to the gRPC doors: dgad 4.x and 3.x one name per call and the native batch,
 * each with a {@code grpc-timeout} of the door's timeout (so the node drops what a caller gave up
 * on, as it does for real clients). An answer without a verdict for every name is a failure.
 */
final class GrpcCalls {
  /** Answers echo each name: more than the Vert.x client's default 256 KiB for large calls. */
  static final int MAX_MESSAGE = 64 << 20;
  private final GrpcClient client;
  private final SocketAddress port4;
  private final SocketAddress port3;

  GrpcCalls(Vertx vertx, SocketAddress port4, SocketAddress port3) {
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE));
    this.port4 = port4;
    this.port3 = port3;
  }

  /** One unary call with a deadline. */
  static <Q, A> Future<A> unary(GrpcClient client, SocketAddress at, ServiceMethod<A, Q> method, Q request,
                                long timeoutMs) {
    return client.request(at, method).compose(req -> {
      req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      return req.end(request).compose(v -> req.response().compose(resp -> resp.last()));
    });
  }

  Future<io.dgadmesh.grpc.dgad4.Domain> dgad4(String name, long timeoutMs) {
    return unary(client, port4, io.dgadmesh.grpc.dgad4.ClassifierGrpcClient.GetClassification,
        io.dgadmesh.grpc.dgad4.Domain.newBuilder().setFqdn(name).build(), timeoutMs);
  }

  Future<io.dgadmesh.grpc.dgad3.Classification> dgad3(String name, long timeoutMs) {
    return unary(client, port3, io.dgadmesh.grpc.dgad3.ClassifierGrpcClient.GetClassification,
        io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn(name).build(), timeoutMs);
  }

  Future<ClassifyResponse> batch(List<String> names, long timeoutMs) {
    return unary(client, port4, DgaClassifierGrpcClient.ClassifyBatch,
        ClassifyRequest.newBuilder().addAllNames(names).build(), timeoutMs);
  }

  /** Call {@code seq} of the dgad 4.x door: one pooled name, answered with a verdict ({@link Dgad4Answers}). */
  Pacer.Call dgad4Load() {
    return seq -> dgad4(SoakNames.pooled(seq, 1).get(0), Door.GRPC4.timeoutMs)
        .compose(d -> Dgad4Answers.hasVerdict(d) ? Future.succeededFuture(1) : Future.failedFuture("no verdict: " + d));
  }

  Pacer.Call dgad3Load() {
    return seq -> dgad3(SoakNames.pooled(seq, 1).get(0), Door.GRPC3.timeoutMs)
        .compose(c -> c.getBinaryClassification().isEmpty() ? Future.failedFuture("no verdict: " + c)
            : Future.succeededFuture(1));
  }

  Pacer.Call batchLoad() {
    return seq -> {
      List<String> names = SoakNames.pooled(seq, Door.BATCH.namesPerCall);
      return batch(names, Door.BATCH.timeoutMs).compose(r -> verdicts(names, r));
    };
  }

  /** The names answered, if each got a verdict in order; else a failure that says what came back. */
  static Future<Integer> verdicts(List<String> names, ClassifyResponse r) {
    if (r.getResultsCount() != names.size()) {
      return Future.failedFuture(r.getResultsCount() + " results for " + names.size() + " names");
    }
    for (int i = 0; i < names.size(); i++) {
      Result x = r.getResults(i);
      if (!x.getError().isEmpty() || !x.getDomain().equals(names.get(i))) {
        return Future.failedFuture("result " + i + " is not a verdict for " + names.get(i) + ": " + x);
      }
    }
    return Future.succeededFuture(names.size());
  }
}
