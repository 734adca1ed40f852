package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad3.ClassifierService;
import io.dgadmesh.grpc.dgad3.Domain;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/** dgad 3.x's Classifier/GetClassification(Domain) returns (Classification). */
final class Dgad3Service extends ClassifierService {
  private final Function<List<String>, Future<List<Bus.Result>>> classify;

  /** {@code classify}: the door's coalescer in front of the event bus (see GrpcVerticle). */
  Dgad3Service(Function<List<String>, Future<List<Bus.Result>>> classify) {
    this.classify = classify;
  }

  @Override
  public Future<Classification> getClassification(Domain request) {
    String fqdn = request.getFqdn();
    return Results.single(classify.apply(List.of(fqdn)), fqdn).map(r -> Results.dgad3(fqdn, r));
  }
}
