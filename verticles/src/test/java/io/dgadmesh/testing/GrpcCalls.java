package io.dgadmesh.testing;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real gRPC call over TCP that keeps the status and message, for asserting on errors. */
public final class GrpcCalls {
  private GrpcCalls() {}

  public record Call<T>(GrpcStatus status, String message, List<T> replies) {}

  public static <Req, Resp> Future<Call<Resp>> call(GrpcClient client, int port, ServiceMethod<Resp, Req> method,
                                                   List<Req> messages) {
    return call(client, port, method, messages, Map.of());
  }

  /** With this metadata (request headers), e.g. {@code authorization}. */
  public static <Req, Resp> Future<Call<Resp>> call(GrpcClient client, int port, ServiceMethod<Resp, Req> method,
                                                   List<Req> messages, Map<String, String> metadata) {
    return client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), method).compose(req -> {
      metadata.forEach(req.headers()::set);
      for (int i = 0; i < messages.size() - 1; i++) {
        req.write(messages.get(i));
      }
      req.end(messages.get(messages.size() - 1));
      return req.response().compose(resp -> {
        List<Resp> replies = new ArrayList<>();
        resp.handler(replies::add);
        return resp.end().transform(ar -> Future.succeededFuture(
            new Call<>(resp.status(), resp.statusMessage(), replies)));
      });
    });
  }
}
