package io.dgadmesh.bench.fuzz;

import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.Result;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The gRPC doors with every input: dgad 4.x and 3.x one name per call, the native batch API and
 * the native stream. A status that names the problem (INVALID_ARGUMENT, RESOURCE_EXHAUSTED for a
 * message over the limit) is a refusal; any other failure is a failure.
 */
final class GrpcDoors {
  static final int PER_MESSAGE = 500;
  private static final int MAX_MESSAGE = 64 << 20;

  private final Vertx vertx;
  private final SocketAddress port4;
  private final SocketAddress port3;

  GrpcDoors(Vertx vertx, SocketAddress port4, SocketAddress port3) {
    this.vertx = vertx;
    this.port4 = port4;
    this.port3 = port3;
  }

  private GrpcClient client() {
    return GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE));
  }

  DoorTally dgad4(List<String> inputs) throws InterruptedException {
    var stub = io.dgadmesh.grpc.dgad4.ClassifierGrpcClient.create(client(), port4);
    return singleNames("gRPC dgad 4.x GetClassification", inputs, in -> stub
        .getClassification(io.dgadmesh.grpc.dgad4.Domain.newBuilder().setFqdn(in).build())
        .map(Dgad4Answers::hasVerdict));
  }

  DoorTally dgad3(List<String> inputs) throws InterruptedException {
    var stub = io.dgadmesh.grpc.dgad3.ClassifierGrpcClient.create(client(), port3);
    return singleNames("gRPC dgad 3.x GetClassification", inputs, in -> stub
        .getClassification(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn(in).build())
        .map(c -> !c.getBinaryClassification().isEmpty()));
  }

  /** One call per input, 64 at a time; {@code call} answers whether the reply holds a verdict. */
  private static DoorTally singleNames(String door, List<String> inputs, Function<String, Future<Boolean>> call)
      throws InterruptedException {
    DoorTally t = new DoorTally(door);
    Window w = new Window(64);
    for (String in : inputs) {
      t.sent(1);
      w.send(() -> call.apply(in).onComplete(ar -> single(t, in, ar.succeeded() && ar.result(), ar.cause())));
    }
    w.drain(300_000);
    return t;
  }

  private static void single(DoorTally t, String in, boolean judged, Throwable err) {
    if (judged) {
      t.verdict(in);
    } else if (GrpcRefusals.refusal(err)) {
      t.refusal(in, String.valueOf(GrpcRefusals.status(err)));
    } else {
      t.fail(in, err == null ? "an answer without a verdict" : "failed: " + err);
    }
  }

  DoorTally batch(List<String> inputs) throws InterruptedException {
    DoorTally t = new DoorTally("gRPC native ClassifyBatch");
    DgaClassifierGrpcClient stub = DgaClassifierGrpcClient.create(client(), port4);
    Window w = new Window(4);
    for (List<String> chunk : Chunks.of(inputs, PER_MESSAGE)) {
      t.sent(chunk.size());
      w.send(() -> stub.classifyBatch(ClassifyRequest.newBuilder().addAllNames(chunk).build())
          .onComplete(ar -> results(t, chunk, ar.succeeded() ? ar.result() : null, ar.cause())));
    }
    w.drain(300_000);
    return t;
  }

  /**
   * The native stream: every message of ordinary size on one stream, and each 10 MB input on a
   * stream of its own, since a message over the size limit ends its whole call (RESOURCE_EXHAUSTED).
   */
  DoorTally stream(List<String> inputs) throws Exception {
    DoorTally t = new DoorTally("gRPC native ClassifyStream");
    DgaClassifierGrpcClient stub = DgaClassifierGrpcClient.create(client(), port4);
    List<List<String>> ordinary = new ArrayList<>();
    for (List<String> chunk : Chunks.of(inputs, PER_MESSAGE)) {
      if (chunk.size() == 1 && chunk.get(0).length() > MAX_MESSAGE / 16) {
        streamOf(t, stub, List.of(chunk));
      } else {
        ordinary.add(chunk);
      }
    }
    streamOf(t, stub, ordinary);
    return t;
  }

  private static void streamOf(DoorTally t, DgaClassifierGrpcClient stub, List<List<String>> chunks) throws Exception {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    stub.classifyStream((req, failure) -> {
      if (failure != null) {
        return;
      }
      for (List<String> chunk : chunks) {
        t.sent(chunk.size());
        req.write(ClassifyRequest.newBuilder().addAllNames(chunk).build());
      }
      req.end();
    }).onSuccess(stream -> stream.handler(resp -> {
      if (next[0] < chunks.size()) {
        results(t, chunks.get(next[0]++), resp, null);
      }
    }).exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete())).onFailure(done::tryFail);
    Throwable err = Chunks.await(done.future(), 300_000);
    for (int i = next[0]; i < chunks.size(); i++) {
      for (String in : chunks.get(i)) {
        if (GrpcRefusals.refusal(err)) {
          t.refusal(in, String.valueOf(GrpcRefusals.status(err)));
        } else {
          t.fail(in, "no answer on the stream" + (err == null ? "" : ": " + err));
        }
      }
    }
  }

  private static void results(DoorTally t, List<String> chunk, ClassifyResponse resp, Throwable err) {
    if (resp == null || resp.getResultsCount() != chunk.size()) {
      for (String in : chunk) {
        if (GrpcRefusals.refusal(err)) {
          t.refusal(in, String.valueOf(GrpcRefusals.status(err)));
        } else {
          t.fail(in, resp == null ? "call failed: " + err : "answers for " + resp.getResultsCount() + " of " + chunk.size());
        }
      }
      return;
    }
    for (int i = 0; i < chunk.size(); i++) {
      Result r = resp.getResults(i);
      if (r.getError().isEmpty()) {
        t.verdict(chunk.get(i));
      } else {
        t.refusal(chunk.get(i), r.getError());
      }
    }
  }

}
