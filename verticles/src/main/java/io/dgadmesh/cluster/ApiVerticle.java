package io.dgadmesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;

/**
 * Serves {@link ClusterApi} under /api on web.port. Stands in for the web role while the
 * dashboard (io.dgadmesh.web.DashboardVerticle, which mounts the same router) is not on the
 * class path.
 */
public class ApiVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    root.route("/api/*").subRouter(ClusterApi.router(vertx, config()));
    int port = config().getJsonObject("web").getInteger("port");
    return vertx.createHttpServer().requestHandler(root).listen(port);
  }
}
