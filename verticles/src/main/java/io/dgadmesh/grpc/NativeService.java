package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.WireNames.Sent;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcService;
import io.dgadmesh.grpc.v1.InfoResponse;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * dgadmesh.v1.DgaClassifier: batches and a bidirectional stream ({@link NativeStream}), per-name
 * errors in the results. Request names are read by {@link WireNames}, so a name that is not UTF-8
 * gets its own error instead of failing the call; names go to the classifiers in {@link Parts}.
 */
final class NativeService {

  static final ServiceMethod<Sent, ClassifyResponse> CLASSIFY_BATCH = method("ClassifyBatch");
  static final ServiceMethod<Sent, ClassifyResponse> CLASSIFY_STREAM = method("ClassifyStream");

  private final EventBus bus;
  private final String nodeId;
  private final int maxNames;
  private final int maxPending;
  /** Names of this instance's batch calls and stream messages read and not yet answered. */
  private int pending;

  NativeService(EventBus bus, String nodeId, int maxNames, int maxPending) {
    this.bus = bus;
    this.nodeId = nodeId;
    this.maxNames = maxNames;
    this.maxPending = maxPending;
  }

  private static ServiceMethod<Sent, ClassifyResponse> method(String name) {
    return ServiceMethod.server(DgaClassifierGrpcService.SERVICE_NAME, name, GrpcMessageEncoder.encoder(),
        WireNames.decoder(ClassifyRequest.NAMES_FIELD_NUMBER, ClassifyRequest.getDefaultInstance(),
            ClassifyRequest::getNamesList));
  }

  /** {@code http}: the HTTP requests under the calls, for the stream's flow control. */
  Service service(HttpRequests http) {
    return Service.service(DgaClassifierGrpcService.SERVICE_NAME, DgaClassifierGrpcService.SERVICE_DESCRIPTOR)
        .bind(CLASSIFY_BATCH, request -> {
          Call<ClassifyResponse> call = Call.of(request);
          request.handler(sent -> call.answer(classify(sent, call::gone)));
        })
        .bind(CLASSIFY_STREAM, request -> NativeStream.start(request, http.dispatched(), this))
        .bind(DgaClassifierGrpcService.Info, request -> {
          Call<InfoResponse> call = Call.of(request);
          request.handler(msg -> call.answer(info()));
        })
        .build();
  }

  /** One message's answer; the names not yet sent are dropped once {@code gone} says so. */
  Future<ClassifyResponse> classify(Sent request, BooleanSupplier gone) {
    if (request.malformed() != null) {
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, request.malformed()));
    }
    if (request.size() == 0) {
      return Future.succeededFuture(ClassifyResponse.getDefaultInstance());
    }
    if (request.size() > maxNames) {
      // One request's names sit in the heap together until all are answered.
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "a request holds at most "
          + maxNames + " names (grpc.maxBatchNames), this one " + request.size()
          + ": split it, or send the parts on ClassifyStream"));
    }
    int n = request.size();
    if (pending + n > maxPending) {
      // The door's own memory: many big calls at once wait here, decoded, for the classifiers.
      return Future.failedFuture(new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the node holds "
          + pending + " names of calls in progress, at most " + maxPending + " (grpc.maxPendingNames): retry later"));
    }
    pending += n;
    return answer(request, gone).andThen(ar -> pending -= n);
  }

  private Future<ClassifyResponse> answer(Sent request, BooleanSupplier gone) {
    if (request.notUtf8() == null) {
      return Parts.classify(bus, request.names(), gone).map(Results::toProto);
    }
    List<Bus.Result> given = new ArrayList<>(request.size());
    List<String> text = new ArrayList<>(request.size());
    for (int i = 0; i < request.size(); i++) {
      String name = request.names().get(i);
      if (request.isText(i)) {
        given.add(null);
        text.add(name);
      } else {
        given.add(Bus.Result.invalid(name, WireNames.NOT_UTF8));
      }
    }
    return Parts.classify(bus, text, gone).map(rs -> Results.toProto(Bus.inInputOrder(given, rs)));
  }

  private Future<InfoResponse> info() {
    return Bus.info(bus).map((JsonObject j) -> InfoResponse.newBuilder()
        .setModelVersion(j.getString(Bus.MODEL_VERSION)).setThreshold(j.getFloat(Bus.THRESHOLD))
        .addAllFamilies(j.getJsonArray(Bus.FAMILIES).stream().map(String::valueOf).toList())
        .setPoint(j.getString(Bus.POINT, "")).putAllPoints(points(j.getJsonObject(Bus.POINTS)))
        .setNodeId(nodeId).build());
  }

  /** dgad.info's {name: threshold}; none from a classifier that predates operating points (a mixed cluster). */
  private static java.util.Map<String, Float> points(JsonObject points) {
    java.util.Map<String, Float> out = new java.util.LinkedHashMap<>();
    if (points != null) {
      for (String name : points.fieldNames()) {
        out.put(name, points.getFloat(name));
      }
    }
    return out;
  }
}
