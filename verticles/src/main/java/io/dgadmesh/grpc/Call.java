package io.dgadmesh.grpc;

import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gRPC call on the server: whether its client is still there, and its answer, written once.
 * A client is gone once it resets the call (a cancel, its own deadline), closes its connection, or
 * once the call's deadline (grpc-timeout) passes here, where Vert.x answers DEADLINE_EXCEEDED
 * itself. The work of a gone client that is not yet sent to the classifiers is never sent, and
 * its answer is dropped: counted in dgad_grpc_answers_dropped_total and logged at FINE only.
 */
final class Call<Resp> {

  private static final Logger LOG = Logger.getLogger(Call.class.getName());

  private final GrpcServerResponse<?, Resp> response;
  private boolean gone;
  private boolean answered;

  private Call(GrpcServerRequest<?, Resp> request) {
    this.response = request.response();
    request.errorHandler(err -> gone = true); // a reset by the client
    request.exceptionHandler(err -> gone = true); // the connection closed while the client still sent
    response.exceptionHandler(err -> gone = true); // the connection closed before the answer
    Timer deadline = request.deadline();
    if (deadline != null) {
      deadline.onSuccess(v -> gone = true);
    }
  }

  static <Resp> Call<Resp> of(GrpcServerRequest<?, Resp> request) {
    return new Call<>(request);
  }

  boolean gone() {
    return gone;
  }

  GrpcServerResponse<?, Resp> response() {
    return response;
  }

  /** Ends the call with the answer, or with the status of its failure ({@link Results#status}). */
  void answer(Future<Resp> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        write(() -> response.end(ar.result()));
      } else {
        fail(ar.cause());
      }
    });
  }

  void fail(Throwable err) {
    write(() -> response.fail(Results.status(err)));
  }

  private void write(Runnable answer) {
    if (answered) {
      return;
    }
    answered = true;
    if (gone) {
      dropped(null);
      return;
    }
    try {
      answer.run();
    } catch (IllegalStateException closed) {
      // Closed in this event-loop turn, before its handlers ran (Vert.x: "The stream is failed/closed").
      dropped(closed);
    }
  }

  /** Counts an answer that had nowhere to go. */
  static void dropped(Throwable why) {
    NodeMetrics.answerDropped();
    LOG.log(Level.FINE, "an answer to a gRPC client that had gone was dropped", why);
  }
}
