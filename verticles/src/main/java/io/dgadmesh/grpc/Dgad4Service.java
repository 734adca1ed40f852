package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.WireNames.Sent;
import io.dgadmesh.grpc.dgad4.ClassifierGrpcService;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.model.SuffixList;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * dgad 4.x's Classifier/GetClassification(Domain) returns (Domain): one Word per label, as dgad
 * fills them ({@link Dgad4Words}); the words of a call reach the classifiers in one request.
 */
final class Dgad4Service {
  private Dgad4Service() {}

  /** The generated method, with the name read by {@link WireNames} instead of protobuf's parser. */
  static final ServiceMethod<Sent, Domain> GET_CLASSIFICATION = ServiceMethod.server(ClassifierGrpcService.SERVICE_NAME,
      "GetClassification", GrpcMessageEncoder.encoder(),
      WireNames.decoder(Domain.FQDN_FIELD_NUMBER, Domain.getDefaultInstance(), d -> List.of(d.getFqdn())));

  /**
   * {@code classify}: the door's coalescer in front of the event bus (see GrpcVerticle);
   * {@code maxWords}: the most words one name is answered with (grpc.maxBatchNames). The name is
   * asked as every door asks it; its other words are quiet ({@link Bus#QUIET}): nobody looked them
   * up, so the dashboard and the classified counts do not show them. {@code suffixes}: the
   * list the model reads, which splits a name into its words.
   */
  static Service create(Function<List<Bus.Asked>, Future<List<Bus.Result>>> classify, int maxWords,
      SuffixList suffixes) {
    Function<List<String>, Future<List<Bus.Result>>> nameThenWords = names -> {
      List<Bus.Asked> asked = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        asked.add(new Bus.Asked(names.get(i), i > 0));
      }
      return classify.apply(asked);
    };
    return Service.service(ClassifierGrpcService.SERVICE_NAME, ClassifierGrpcService.SERVICE_DESCRIPTOR)
        .bind(GET_CLASSIFICATION, SingleName.handler(nameThenWords, fqdn -> {
          Dgad4Words words = Dgad4Words.of(fqdn, maxWords, suffixes);
          return new SingleName.Question<>(words.names(), rs -> Results.dgad4(fqdn, words.values(), rs));
        })).build();
  }
}
