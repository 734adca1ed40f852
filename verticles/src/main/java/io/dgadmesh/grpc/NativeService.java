package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierService;
import io.dgadmesh.grpc.v1.InfoRequest;
import io.dgadmesh.grpc.v1.InfoResponse;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** dgadmesh.v1.DgaClassifier: batches and a bidirectional stream, per-name errors in the results. */
final class NativeService extends DgaClassifierService {

  private static final Logger LOG = Logger.getLogger(NativeService.class.getName());

  /** Stream requests classified ahead of the one being written; beyond this the reader pauses. */
  static final int STREAM_WINDOW = 32;

  private final EventBus bus;
  private final String nodeId;

  private final int maxNames;

  NativeService(EventBus bus, String nodeId, int maxNames) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.maxNames = maxNames;
  }

  @Override
  public Future<ClassifyResponse> classifyBatch(ClassifyRequest request) {
    return classify(request);
  }

  private Future<ClassifyResponse> classify(ClassifyRequest request) {
    if (request.getNamesCount() == 0) {
      return Future.succeededFuture(ClassifyResponse.getDefaultInstance());
    }
    if (request.getNamesCount() > maxNames) {
      // One request's names travel as one event-bus message and sit in the heap together.
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "a request holds at most "
          + maxNames + " names (grpc.maxBatchNames), this one " + request.getNamesCount()
          + ": split it, or send the parts on ClassifyStream"));
    }
    return Bus.classify(bus, request.getNamesList()).map(Results::toProto).recover(Results::unavailable);
  }

  @Override
  protected void classifyStream(ReadStream<ClassifyRequest> requests, WriteStream<ClassifyResponse> responses) {
    // Requests are classified concurrently but answered in arrival order: each write waits for
    // the previous one. A window bounds the names held in memory for a fast sender.
    var state = new Object() {
      Future<Void> tail = Future.succeededFuture();
      int pending;
      boolean failed;
    };
    requests.handler(req -> {
      Future<ClassifyResponse> result = classify(req);
      if (++state.pending >= STREAM_WINDOW) {
        requests.pause();
      }
      state.tail = state.tail.compose(v -> result).compose(resp -> {
        if (--state.pending < STREAM_WINDOW) {
          requests.resume();
        }
        return responses.write(resp);
      }).onFailure(err -> {
        if (!state.failed) {
          state.failed = true;
          failIfOpen((GrpcServerResponse<?, ?>) responses, err);
        }
      });
    });
    requests.endHandler(v -> state.tail.onSuccess(x -> responses.end()
        .onFailure(err -> LOG.log(Level.FINE, "stream closed before its end", err))));
  }

  /**
   * Fails the call with err's status, unless the call is over already: Vert.x ends it by itself
   * when the client resets it or sends a message over grpc.maxMessageBytes (RESOURCE_EXHAUSTED),
   * and the answers still pending for it then have nowhere to go.
   */
  private static void failIfOpen(GrpcServerResponse<?, ?> response, Throwable err) {
    try {
      response.fail(err);
    } catch (IllegalStateException closed) {
      LOG.log(Level.FINE, "stream already closed; not failed again with: " + err, closed);
    }
  }

  @Override
  public Future<InfoResponse> info(InfoRequest request) {
    return Bus.info(bus).map((JsonObject j) -> InfoResponse.newBuilder()
        .setModelVersion(j.getString(Bus.MODEL_VERSION)).setThreshold(j.getFloat(Bus.THRESHOLD))
        .addAllFamilies(j.getJsonArray(Bus.FAMILIES).stream().map(String::valueOf).toList())
        .setNodeId(nodeId).build()).recover(Results::unavailable);
  }
}
