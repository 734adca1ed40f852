package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.logging.Logger;

/**
 * The web role: the dashboard (static files from {@code web/}, packed into the jar under
 * {@code webroot/}), the HTTP API under {@code /api}, health and Prometheus metrics. This class
 * builds the router; the routes live in {@link ClassifyRoutes}, {@link ResultRoutes},
 * {@link LiveStream}, {@link ClusterRoutes}, {@link JobsRoutes} and {@link HealthRoutes}, and
 * every API error has the one shape of {@link ApiSupport}.
 *
 * <p>Config: the "web" section (host, port, token, maxClassify, recent, streamMaxPerTick,
 * streamTickMs, queueSampleMs) and the "redis" section for the lookups, the queue depth and jobs.
 * When {@code web.token} is set, /api/* and /metrics need it ({@link TokenAuth}); health and the
 * page itself stay open, so that probes work and the page can ask for the token.
 */
public class DashboardVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(DashboardVerticle.class.getName());

  private Redis redis;
  private HttpServer server;
  private JobsRoutes jobs;
  private LiveStream stream;

  @Override
  public Future<?> start() {
    JsonObject web = config().getJsonObject("web", new JsonObject());
    JsonObject rc = config().getJsonObject("redis", new JsonObject());
    String nodeId = config().getJsonObject("node", new JsonObject()).getString("id", "node");
    redis = redisClient(rc);

    ClassifyRoutes classify = new ClassifyRoutes(vertx, web.getInteger("maxClassify", 10_000));
    ResultRoutes results = new ResultRoutes(redis, web.getInteger("recent", 1000));
    ClusterRoutes cluster = new ClusterRoutes(vertx);
    HealthRoutes health = new HealthRoutes(vertx, redis, nodeId);
    jobs = new JobsRoutes(vertx, config());
    stream = new LiveStream(vertx, redis, nodeId, rc.getString("set", "domains_todo"),
        web.getInteger("streamMaxPerTick", 200));

    vertx.eventBus().<JsonObject>consumer(Bus.RESULTS_PUBLISH, m -> onResults(m.body(), results, stream));
    vertx.eventBus().<JsonObject>consumer(Bus.STATS, m -> {
      cluster.stats(m.body());
      stream.stats(m.body());
    });
    stream.start(web.getInteger("streamTickMs", 250), web.getInteger("queueSampleMs", 1000));

    Handler<RoutingContext> auth = TokenAuth.handler(web.getString("token", ""));
    Router api = Router.router(vertx);
    ApiSupport.post(api, "/classify", classify.bodyLimit(), classify::classify);
    api.get("/results/recent").handler(results::recent);
    api.get("/results").handler(results::lookup);
    api.get("/stream").handler(stream::open);
    api.get("/cluster").handler(cluster::cluster);
    ApiSupport.post(api, "/jobs", JobsRoutes.MAX_BODY, jobs::submit);
    api.get("/jobs").handler(jobs::list);
    api.get("/jobs/:id").handler(jobs::status);
    api.get("/jobs/:id/results").handler(jobs::results);

    Router router = Router.router(vertx);
    SecurityHeaders.mount(router);
    router.route().handler(ApiSupport::decodableUri);
    // Failures in the sub-router are routed here too.
    router.route().failureHandler(ApiSupport::failure);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(auth).handler(DashboardVerticle::metrics);
    router.route("/api/*").handler(auth);
    router.route("/api/*").subRouter(api);
    router.route("/api/*").handler(ApiSupport::noSuchApi);
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setMaxAgeSeconds(60));

    int port = web.getInteger("port", 8080);
    String host = web.getString("host", "0.0.0.0");
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info(() -> "web: dashboard and HTTP API on http://" + host + ":" + s.actualPort() + "/");
        });
  }

  @Override
  public Future<?> stop() {
    stream.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> Future.join(redis.close(), jobs.close()));
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The Redis client for lookups, the readiness check and the queue depth. */
  private Redis redisClient(JsonObject rc) {
    RedisOptions options = new RedisOptions()
        .setConnectionString("redis://" + rc.getString("host", "localhost") + ":" + rc.getInteger("port", 6379)
            + "/" + rc.getInteger("db", 0))
        .setMaxPoolSize(4).setMaxPoolWaiting(256);
    String password = rc.getString("password", "");
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    return Redis.createClient(vertx, options);
  }

  /**
   * Every result the cluster answers ({@code dgad.results}), stamped once with its node and the
   * time this node saw it: kept for {@code /api/results/recent} and counted for the stream.
   */
  private static void onResults(JsonObject event, ResultRoutes results, LiveStream stream) {
    String node = event.getString(Bus.NODE);
    JsonArray batch = event.getJsonArray(Bus.RESULTS);
    if (batch == null) {
      return;
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.getValue(i) instanceof JsonObject r) {
        r.put("node", node).put("time", now);
        results.remember(r);
        stream.count(r);
      }
    }
  }

  private static void metrics(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(NodeMetrics.registry().scrape());
  }
}
