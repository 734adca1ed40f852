package io.dgadmesh.cli;

import io.dgadmesh.grpc.dgad4.ClassifierGrpcService;
import io.dgadmesh.grpc.dgad4.ClassifierService;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.dgad4.Word;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;

/**
 * The bench's yardstick: dgad 4.x's Classifier on the same Vert.x gRPC server as the real door,
 * answering every call at once with a fixed result (no model, no event bus). What the bench's
 * callers reach against it is the most this machine's gRPC stack can carry; the real door's
 * figure is read against it. Config: {"port": N}.
 */
public class FixedAnswerVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(ClassifierGrpcService.of(new ClassifierService() {
      @Override
      public Future<Domain> getClassification(Domain request) {
        String fqdn = request.getFqdn();
        return Future.succeededFuture(Domain.newBuilder().setFqdn(fqdn).setIsDga(false).setFamily("N/A")
            .addWords(Word.newBuilder().setValue(fqdn).setBinaryScore(0.01f).setBinaryLabel("benign")
                .setFamilyScore(0f).setFamilyLabel("N/A"))
            .build());
      }
    }));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(config().getInteger("port")))
        .requestHandler(grpc).listen();
  }
}
