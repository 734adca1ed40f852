package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.WireNames.Sent;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad3.ClassifierGrpcService;
import io.dgadmesh.grpc.dgad3.Domain;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.Service;
import java.util.List;
import java.util.function.Function;

/** dgad 3.x's Classifier/GetClassification(Domain) returns (Classification). */
final class Dgad3Service {
  private Dgad3Service() {}

  /** The generated method, with the name read by {@link WireNames} instead of protobuf's parser. */
  static final ServiceMethod<Sent, Classification> GET_CLASSIFICATION = ServiceMethod.server(
      ClassifierGrpcService.SERVICE_NAME, "GetClassification", GrpcMessageEncoder.encoder(),
      WireNames.decoder(Domain.FQDN_FIELD_NUMBER, Domain.getDefaultInstance(), d -> List.of(d.getFqdn())));

  /** {@code classify}: the door's coalescer in front of the event bus (see GrpcVerticle). */
  static Service create(Function<List<String>, Future<List<Bus.Result>>> classify) {
    return Service.service(ClassifierGrpcService.SERVICE_NAME, ClassifierGrpcService.SERVICE_DESCRIPTOR)
        .bind(GET_CLASSIFICATION, SingleName.handler(classify, Results::dgad3)).build();
  }
}
