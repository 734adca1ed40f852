package io.dgadmesh.node;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.grpc.GrpcVerticle;
import io.dgadmesh.redis.RedisWorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Deploys the verticles of a node's roles, classifiers first (the doors need them). */
public final class Node {
  private Node() {}

  public static Future<Void> deploy(Vertx vertx, JsonObject conf) {
    List<String> roles = NodeConfig.roles(conf);
    int classifiers = conf.getJsonObject("node").getInteger("classifiers");
    int grpcInstances = conf.getJsonObject("grpc").getInteger("instances");
    Future<?> f = Future.succeededFuture();
    if (roles.contains("classifier")) {
      f = f.compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(classifiers)));
    }
    if (roles.contains("grpc")) {
      f = f.compose(v -> vertx.deployVerticle(GrpcVerticle.class.getName(),
          new DeploymentOptions().setConfig(conf).setInstances(grpcInstances)));
    }
    if (roles.contains("redis")) {
      f = f.compose(v -> vertx.deployVerticle(RedisWorkerVerticle.class.getName(), new DeploymentOptions().setConfig(conf)));
    }
    return f.mapEmpty();
  }
}
