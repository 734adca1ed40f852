package io.dgadmesh.bench;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.Results;
import io.dgadmesh.grpc.dgad4.ClassifierGrpcService;
import io.dgadmesh.grpc.dgad4.ClassifierService;
import io.dgadmesh.grpc.dgad4.Domain;
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

  /** The benign result every call gets, turned into dgad 4.x's reply as the real door does. */
  private static final Bus.Result FIXED = new Bus.Result("fixed.example", false, 0.01f, null, 0f, null);

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(ClassifierGrpcService.of(new ClassifierService() {
      @Override
      public Future<Domain> getClassification(Domain request) {
        return Future.succeededFuture(Results.dgad4(request.getFqdn(), FIXED));
      }
    }));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(config().getInteger("port")))
        .requestHandler(grpc).listen();
  }
}
