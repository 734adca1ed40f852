package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad4.ClassifierService;
import io.dgadmesh.grpc.dgad4.Domain;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** dgad 4.x's Classifier/GetClassification(Domain) returns (Domain). */
final class Dgad4Service extends ClassifierService {
  private final EventBus bus;

  Dgad4Service(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Domain> getClassification(Domain request) {
    String fqdn = request.getFqdn();
    return Results.single(Bus.classify(bus, List.of(fqdn)), fqdn).map(r -> Results.dgad4(fqdn, r));
  }
}
