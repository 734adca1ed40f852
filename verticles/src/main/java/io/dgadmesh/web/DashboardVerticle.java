package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.TlsConf;
import io.dgadmesh.config.WebConf;
import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.metrics.HeapCheck;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.tls.CertificateReload;
import io.dgadmesh.tls.DoorTls;
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
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The web role: the dashboard (static files from {@code web/}, packed into the jar under
 * {@code webroot/}), the HTTP API under {@code /api}, health and Prometheus metrics. This class
 * builds the router; the routes live in {@link ClassifyRoutes}, {@link ResultRoutes},
 * {@link LiveStream}, {@link ClusterRoutes}, {@link JobsRoutes}, {@link ModelRoutes} and {@link HealthRoutes}, and
 * every API error has the one shape of {@link ApiSupport}.
 *
 * <p>Settings: {@link WebConf}, and {@link RedisStore} on the node's Redis for the lookups, the
 * queue depth, readiness and jobs.
 * When {@code web.token} is set, /api/* and /metrics need it ({@link TokenAuth}); health and the
 * page itself stay open, so that probes work and the page can ask for the token.
 *
 * <p>Limits: idle connections close after {@code web.idleTimeoutSeconds}; at most
 * {@code web.maxConnections} connections ({@link ConnectionLimit}, with a reserve for probes); a
 * method outside the standard ones is 501 before any route, and a known path with a method it
 * does not take is 405 with {@code Allow}. The web role registers the {@link HeapCheck} readiness
 * check ({@code web.readyHeapPercent}).
 */
public class DashboardVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(DashboardVerticle.class.getName());

  private final NodeSettings given;
  private RedisStore store;
  private HttpServer server;
  private CertificateReload reload;
  private JobsRoutes jobs;
  private LiveStream stream;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public DashboardVerticle() {
    this(null);
  }

  public DashboardVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    WebConf web = settings.web();
    String nodeId = settings.node().idOrDefault();
    store = RedisStore.create(vertx, settings.redis(), RedisStore.Pool.DASHBOARD);

    ClassifyRoutes classify = new ClassifyRoutes(vertx, web.maxClassify());
    ResultRoutes results = new ResultRoutes(store, web.recent());
    ClusterRoutes cluster = new ClusterRoutes(vertx);
    HealthRoutes health = new HealthRoutes(vertx, store, nodeId);
    jobs = new JobsRoutes(RedisStore.create(vertx, settings.redis(), RedisStore.Pool.DEFAULT), web.maxJobBytes(),
        web.maxJobUploads());
    HostRoutes hostRoutes = new HostRoutes(vertx, store.hosts(), settings.hosts().threshold());
    ModelRoutes model = new ModelRoutes(vertx);
    HeapCheck.register(vertx, web.readyHeapPercent());
    ConnectionLimit limit = new ConnectionLimit(vertx, web.maxConnections());
    stream = new LiveStream(vertx, store, nodeId, web.streamMaxPerTick());

    vertx.eventBus().<JsonObject>consumer(Bus.RESULTS_PUBLISH, m -> onResults(m.body(), results, stream));
    vertx.eventBus().<JsonObject>consumer(Bus.STATS, m -> {
      cluster.stats(m.body());
      stream.stats(m.body());
    });
    vertx.eventBus().<JsonObject>consumer(IngestBus.ALERTS, m -> stream.alert(m.body()));
    stream.start(web.streamTickMs(), web.queueSampleMs());

    Handler<RoutingContext> auth = TokenAuth.handler(web.token());
    Router api = Router.router(vertx);
    ApiSupport.post(api, "/classify", classify.bodyLimit(), classify::classify);
    ApiSupport.allow(api, "/classify", "POST");
    api.get("/results/recent").handler(results::recent);
    ApiSupport.allow(api, "/results/recent", "GET");
    api.get("/results").handler(results::lookup);
    ApiSupport.allow(api, "/results", "GET");
    api.get("/stream").handler(stream::open);
    ApiSupport.allow(api, "/stream", "GET");
    api.get("/cluster").handler(cluster::cluster);
    ApiSupport.allow(api, "/cluster", "GET");
    api.post("/jobs").handler(jobs::submit); // no body handler: the body is stored as it arrives
    api.get("/jobs").handler(jobs::list);
    ApiSupport.allow(api, "/jobs", "GET, POST");
    api.get("/jobs/:id").handler(jobs::status);
    ApiSupport.allow(api, "/jobs/:id", "GET");
    api.get("/jobs/:id/results").handler(jobs::results);
    ApiSupport.allow(api, "/jobs/:id/results", "GET");
    ApiSupport.post(api, "/ingest", HostRoutes.INGEST_BODY_LIMIT, hostRoutes::ingest);
    ApiSupport.allow(api, "/ingest", "POST");
    api.get("/hosts").handler(hostRoutes::list);
    ApiSupport.allow(api, "/hosts", "GET");
    api.get("/hosts/:host").handler(hostRoutes::one);
    ApiSupport.allow(api, "/hosts/:host", "GET");
    ApiSupport.post(api, "/model/reload", ModelRoutes.BODY_LIMIT, model::reload);
    ApiSupport.allow(api, "/model/reload", "POST");

    Router router = Router.router(vertx);
    SecurityHeaders.mount(router);
    router.route().handler(limit::gate);
    router.route().handler(ApiSupport::knownMethod);
    router.route().handler(ApiSupport::decodableUri);
    // Failures in the sub-router are routed here too.
    router.route().failureHandler(ApiSupport::failure);
    router.get("/health/live").handler(health::live);
    ApiSupport.allow(router, "/health/live", "GET");
    router.get("/health/ready").handler(health::ready);
    ApiSupport.allow(router, "/health/ready", "GET");
    router.get("/metrics").handler(auth).handler(DashboardVerticle::metrics);
    ApiSupport.allow(router, "/metrics", "GET");
    router.route("/api/*").handler(auth);
    router.route("/api/*").subRouter(api);
    router.route("/api/*").handler(ApiSupport::noSuchApi);
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setMaxAgeSeconds(60));

    int port = web.port();
    String host = web.host();
    // Idle connections are closed (nothing read or written for web.idleTimeoutSeconds); the event
    // stream writes a keep-alive comment more often than that. No h2c (browsers do not use it):
    // with it, a connection reaches the connection handler, and so the cap, only once it has sent
    // its first bytes, and a silent one would not count.
    // With a certificate (tls), TLS only, and client certificates when tls.clientCaPath (DoorTls).
    // A renewed certificate in the same files is put in place without a restart (CertificateReload).
    TlsConf tls = settings.tls();
    HttpServerOptions options = DoorTls.web(tls, new HttpServerOptions().setHost(host).setPort(port)
        .setIdleTimeout(web.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false));
    return CertificateReload.before(vertx, tls, "web port " + port, "web").compose(r -> {
      reload = r;
      return vertx.createHttpServer(options)
          .connectionHandler(limit::connected)
          .requestHandler(router)
          .listen();
    }).onSuccess(s -> {
      server = s;
      reload.watch(s, options.getSslOptions());
      LOG.info(() -> "web: dashboard and HTTP API on " + DoorTls.webScheme(tls) + "://" + host + ":" + s.actualPort() + "/");
    });
  }

  @Override
  public Future<?> stop() {
    if (reload != null) {
      reload.stop();
    }
    Readiness.of(vertx).unregister(HeapCheck.NAME);
    stream.close();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> Future.join(store.close(), jobs.close()));
  }

  public int actualPort() {
    return server.actualPort();
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
