package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad4.ClassifierService;
import io.dgadmesh.grpc.dgad4.Domain;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/** dgad 4.x's Classifier/GetClassification(Domain) returns (Domain). */
final class Dgad4Service extends ClassifierService {
  private final Function<List<String>, Future<List<Bus.Result>>> classify;

  /** {@code classify}: the door's coalescer in front of the event bus (see GrpcVerticle). */
  Dgad4Service(Function<List<String>, Future<List<Bus.Result>>> classify) {
    this.classify = classify;
  }

  @Override
  public Future<Domain> getClassification(Domain request) {
    String fqdn = request.getFqdn();
    return Results.single(classify.apply(List.of(fqdn)), fqdn).map(r -> Results.dgad4(fqdn, r));
  }
}
