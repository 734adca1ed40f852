package io.dgadmesh.grpc;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.node.Node;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A classifier and the gRPC doors on a Vert.x built as bin/dgad builds it (Node.vertx(), with
 * the node's handler for uncaught exceptions), the 4.x port free and on loopback, 3.x off.
 */
final class GrpcTestNode implements AutoCloseable {

  final Vertx vertx;
  final int port;

  private GrpcTestNode(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** {@code settings} changes the loaded configuration before the verticles are deployed. */
  static GrpcTestNode start(String nodeId, Consumer<JsonObject> settings) throws Exception {
    int port = RedisServer.freePort();
    JsonObject conf = NodeConfig.load(null, Map.of("LISTENING_PORT", Integer.toString(port), "DGAD_NODE_ID", nodeId));
    conf.getJsonObject("grpc").put("host", "127.0.0.1").put("dgad3Port", 0);
    settings.accept(conf);
    Vertx vertx = Node.vertx();
    vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .compose(v -> vertx.deployVerticle(GrpcVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .await();
    return new GrpcTestNode(vertx, port);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
