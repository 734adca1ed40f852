package io.dgadmesh.bench.soak;

import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The native {@code ClassifyStream} door as a long-lived client uses it: one stream, a message per
 * call, each answered by one response in order. When the stream ends or breaks (a restart), the
 * messages still waiting fail and the next call opens a new stream. Everything runs on one
 * context, so the stream and its queue need no locks.
 */
final class StreamCalls {

  private record Waiting(List<String> names, Promise<Integer> answer) {}

  private final Context context;
  private final GrpcClient client;
  private final SocketAddress port4;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private Future<GrpcClientRequest<ClassifyRequest, ClassifyResponse>> stream;

  StreamCalls(Vertx vertx, SocketAddress port4) {
    this.context = vertx.getOrCreateContext();
    this.client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(GrpcCalls.MAX_MESSAGE));
    this.port4 = port4;
  }

  Pacer.Call load() {
    return seq -> {
      List<String> names = SoakNames.pooled(seq, Door.STREAM.namesPerCall);
      Promise<Integer> answer = Promise.promise();
      context.runOnContext(v -> send(names, answer));
      return answer.future();
    };
  }

  private void send(List<String> names, Promise<Integer> answer) {
    if (stream == null) {
      stream = open();
    }
    Future<GrpcClientRequest<ClassifyRequest, ClassifyResponse>> s = stream;
    s.onComplete(ar -> {
      if (ar.failed()) {
        answer.tryFail(ar.cause());
        return;
      }
      waiting.add(new Waiting(names, answer));
      ar.result().write(ClassifyRequest.newBuilder().addAllNames(names).build());
    });
  }

  private Future<GrpcClientRequest<ClassifyRequest, ClassifyResponse>> open() {
    Future<GrpcClientRequest<ClassifyRequest, ClassifyResponse>> opening = client.request(port4,
        DgaClassifierGrpcClient.ClassifyStream);
    opening.onComplete(ar -> {
      if (ar.failed()) {
        broken(opening, ar.cause());
        return;
      }
      ar.result().response().onComplete(resp -> {
        if (resp.failed()) {
          broken(opening, resp.cause());
          return;
        }
        resp.result().handler(this::answered)
            .exceptionHandler(e -> broken(opening, e))
            .endHandler(v -> broken(opening, new IllegalStateException("the node ended the stream: "
                + resp.result().status() + " " + resp.result().statusMessage())));
      });
    });
    return opening;
  }

  private void answered(ClassifyResponse r) {
    Waiting w = waiting.poll();
    if (w != null) {
      GrpcCalls.verdicts(w.names(), r).onComplete(ar -> {
        if (ar.succeeded()) {
          w.answer().tryComplete(ar.result());
        } else {
          w.answer().tryFail(ar.cause());
        }
      });
    }
  }

  /** The stream {@code which} is gone: what waits on it fails, and the next call opens another. */
  private void broken(Future<?> which, Throwable cause) {
    if (stream == which) {
      stream = null;
      Waiting w;
      while ((w = waiting.poll()) != null) {
        w.answer().tryFail(cause);
      }
    }
  }
}
