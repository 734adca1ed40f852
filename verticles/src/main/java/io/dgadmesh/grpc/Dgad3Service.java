package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad3.ClassifierService;
import io.dgadmesh.grpc.dgad3.Domain;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** dgad 3.x's Classifier/GetClassification(Domain) returns (Classification). */
final class Dgad3Service extends ClassifierService {
  private final EventBus bus;

  Dgad3Service(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Classification> getClassification(Domain request) {
    String fqdn = request.getFqdn();
    return Results.single(Bus.classify(bus, List.of(fqdn)), fqdn).map(r -> Results.dgad3(fqdn, r));
  }
}
