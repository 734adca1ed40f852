package io.dgadmesh.grpc;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The gRPC token ({@code grpc.token}, {@code DGAD_GRPC_TOKEN}): when set, every call on a gRPC
 * port must carry the metadata {@code authorization: Bearer <token>}, or it ends with
 * UNAUTHENTICATED before any of its messages is read or decoded. Health (grpc.health.v1) stays
 * open, so that probes and load balancers need no secret.
 *
 * <p>A refused call is answered by a GrpcServer of its own that has no services and answers
 * every call UNAUTHENTICATED: so the refusal has the right shape for each protocol Vert.x
 * serves on the port (gRPC, gRPC-Web), as Vert.x's own "method not found" has.
 *
 * <p>The token is compared in constant time (its length aside: {@link MessageDigest#isEqual}
 * takes as long as the configured token is long, whatever was sent), so an answer's timing
 * tells nothing about how much of a guess was right.
 */
final class TokenGate {

  static final String HEALTH = "/grpc.health.v1.Health/";
  static final String MISSING = "this node needs a token: send the metadata 'authorization: Bearer <token>'"
      + " (the node's grpc.token, DGAD_GRPC_TOKEN)";
  static final String WRONG = "wrong token (authorization: Bearer <token>, the node's grpc.token)";

  private TokenGate() {}

  /** {@code next} behind the token; {@code next} itself when {@code token} is empty. */
  static Handler<HttpServerRequest> guard(Vertx vertx, String token, GrpcServerOptions options,
                                          Handler<HttpServerRequest> next) {
    if (token == null || token.isEmpty()) {
      return next;
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    GrpcServer missing = refusing(vertx, options, MISSING);
    GrpcServer wrong = refusing(vertx, options, WRONG);
    return request -> {
      if (request.path().startsWith(HEALTH)) {
        next.handle(request);
        return;
      }
      String given = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
      if (given == null) {
        missing.handle(request);
      } else if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        wrong.handle(request);
      } else {
        next.handle(request);
      }
    };
  }

  /** The token of an {@code authorization: Bearer <token>} header (scheme in any case); null without one. */
  static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private static GrpcServer refusing(Vertx vertx, GrpcServerOptions options, String message) {
    return GrpcServer.server(vertx, options).callHandler(call ->
        call.response().status(GrpcStatus.UNAUTHENTICATED).statusMessage(message).end());
  }
}
