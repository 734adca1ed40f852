package io.dgadmesh.bench.fuzz;

import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/** How a failed gRPC call reads to the fuzz's and the soak's callers: its status, and whether it refused the input. */
public final class GrpcRefusals {
  private GrpcRefusals() {}

  /** The call's status, as the Vert.x client reports it (it keeps the code, not the message); null for none. */
  public static GrpcStatus status(Throwable err) {
    if (err instanceof InvalidStatusException e) {
      return e.actualStatus();
    }
    if (err instanceof StatusException e) {
      return e.status();
    }
    return err instanceof GrpcErrorException e ? e.status() : null;
  }

  /** A status that answers a bad input, or one over a limit: the code is the reason. */
  public static boolean refusal(Throwable err) {
    GrpcStatus s = status(err);
    return s == GrpcStatus.INVALID_ARGUMENT || s == GrpcStatus.RESOURCE_EXHAUSTED || s == GrpcStatus.OUT_OF_RANGE;
  }
}
