package io.dgadmesh.grpc;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;

/**
 * Hands a gRPC server's HTTP requests to it, and tells the call handler it dispatches to which
 * HTTP request is under its call. Vert.x gRPC dispatches a call synchronously, on the connection's
 * event loop, from {@link GrpcServer#handle}, so {@link #dispatched} is the request of the call
 * being started. A stream pauses that request to stop reading ({@link NativeStream}): pausing the
 * gRPC read stream instead would still take up to 16 messages off the connection first.
 *
 * <p>One per verticle instance; used on its event loop only.
 */
final class HttpRequests {

  private HttpServerRequest dispatching;

  /** The request handler of the HTTP server that carries {@code grpc}. */
  Handler<HttpServerRequest> handlerFor(GrpcServer grpc) {
    return request -> {
      dispatching = request;
      try {
        grpc.handle(request);
      } finally {
        dispatching = null;
      }
    };
  }

  /** The HTTP request of the call being dispatched; null outside a dispatch. */
  HttpServerRequest dispatched() {
    return dispatching;
  }
}
