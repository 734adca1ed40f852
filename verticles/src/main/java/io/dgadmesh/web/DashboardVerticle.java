package io.dgadmesh.web;


import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.redis.RedisStore;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web role: the dashboard (static files from {@code web/}, packed into the jar under
 * {@code webroot/}), the HTTP API under {@code /api}, health and Prometheus metrics.
 *
 * <pre>
 * POST /api/classify             {"domains": [...]} (or text/plain, one per line) -> {"results": [...]}
 * GET  /api/results?domain=NAME  the stored result in Redis, 404 when there is none, 400 for no host name
 * GET  /api/results/recent?limit=N  latest results seen on the event bus, newest first
 * GET  /api/stream               Server-Sent Events: results, stats (dgad.stats), queue
 * GET  /api/cluster, /api/jobs   the cluster API (issue 4), mounted in {@link #mountClusterApi}
 * GET  /health/live, /health/ready, /metrics
 * </pre>
 *
 * <p>Config: the "web" section (host, port, token, maxClassify, recent, streamMaxPerTick,
 * streamTickMs, queueSampleMs) and the "redis" section for the lookups and the queue depth.
 * When {@code web.token} is set, /api/* and /metrics need {@code Authorization: Bearer <token>}
 * (the stream also accepts {@code ?access_token=}, since EventSource cannot send headers).
 * Every error is {@code {"error": "..."}} with its status; only internal errors (500) are logged.
 */
public class DashboardVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(DashboardVerticle.class.getName());

  /** The page needs nothing from elsewhere: no inline script or style, no CDN, no frames. */
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; "
      + "frame-ancestors 'none'";

  private static final int CLASSIFY_CHUNK = 512;
  /** Routing-context key: the body limit of the route, named in its 413 answer. */
  private static final String BODY_LIMIT = "dgad.bodyLimit";

  private RedisStore store;
  private HttpServer server;
  private String nodeId;
  private byte[] token;
  private int maxClassify;
  private int recentCap;
  private int maxPerTick;

  private final ArrayDeque<JsonObject> recent = new ArrayDeque<>();
  private final Set<HttpServerResponse> streams = new LinkedHashSet<>();
  /** Results since the last stream tick (a sample of at most maxPerTick) and what they add up to. */
  private final ArrayDeque<JsonObject> tickSample = new ArrayDeque<>();
  private long tickClassified;
  private long tickDga;
  private long tickInvalid;
  private final Map<String, Long> tickFamilies = new TreeMap<>();
  private long dropped;
  private long queueDepth = -1;

  @Override
  public Future<?> start() {
    JsonObject web = config().getJsonObject("web", new JsonObject());
    nodeId = config().getJsonObject("node", new JsonObject()).getString("id", "node");
    String t = web.getString("token", "");
    token = t.isEmpty() ? null : t.getBytes(StandardCharsets.UTF_8);
    maxClassify = web.getInteger("maxClassify", 10_000);
    recentCap = web.getInteger("recent", 1000);
    maxPerTick = web.getInteger("streamMaxPerTick", 200);
    store = RedisStore.create(vertx, NodeSettings.of(config()).redis(), RedisStore.Pool.DASHBOARD);

    vertx.eventBus().<JsonObject>consumer(Bus.RESULTS_PUBLISH, m -> onResults(m.body()));
    vertx.eventBus().<JsonObject>consumer(Bus.STATS, m -> broadcast("stats", m.body()));
    vertx.setPeriodic(web.getInteger("streamTickMs", 250), id -> tick());
    vertx.setPeriodic(web.getInteger("queueSampleMs", 1000), id -> sampleQueue());
    vertx.setPeriodic(15_000, id -> streams.forEach(r -> r.write(": keep-alive\n\n")));

    Router router = Router.router(vertx);
    router.route().handler(DashboardVerticle::securityHeaders);
    router.route().handler(DashboardVerticle::decodableUri);
    // Failures in the sub-routers below (/api, the cluster API) are routed from here too.
    router.route().failureHandler(DashboardVerticle::failure);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("node", nodeId)));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(this::auth).handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(NodeMetrics.registry().scrape()));

    router.route("/api/*").handler(this::auth);
    Router api = Router.router(vertx);
    // Up to maxClassify names of at most 253 characters each, JSON-quoted, plus slack.
    long bodyLimit = (long) maxClassify * 300 + 64 * 1024;
    // The limit, for a 413's answer, on a route of its own: a body handler must come first on its route.
    api.post("/classify").handler(ctx -> ctx.put(BODY_LIMIT, bodyLimit).next());
    api.post("/classify").handler(BodyHandler.create(false).setBodyLimit(bodyLimit)).handler(this::classify);
    api.get("/results/recent").handler(this::recent);
    api.get("/results").handler(this::lookup);
    api.get("/stream").handler(this::stream);
    router.route("/api/*").subRouter(api);
    mountClusterApi(router);
    router.route("/api/*").handler(ctx -> error(ctx, 404, "no such API: " + ctx.request().method() + " " + ctx.request().path()));

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

  /**
   * The cluster API ({@link ClusterApi}): GET /api/cluster and /api/jobs (POST, GET, GET /:id,
   * GET /:id/results). Mounted after the dashboard's own /api routes, which take precedence.
   */
  private void mountClusterApi(Router router) {
    router.route("/api/*").subRouter(ClusterApi.router(vertx, config()));
  }


  @Override
  public Future<?> stop() {
    for (HttpServerResponse r : new ArrayList<>(streams)) {
      r.end();
    }
    streams.clear();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> store.close());
  }

  public int actualPort() {
    return server.actualPort();
  }

  // ---------------------------------------------------------------- handlers

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin");
    ctx.next();
  }

  private void auth(RoutingContext ctx) {
    if (token == null) {
      ctx.next();
      return;
    }
    String given = null;
    String h = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = h.substring(7).trim();
    } else if (ctx.request().path().equals("/api/stream")) {
      given = ctx.request().getParam("access_token");
    }
    if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"dgad\"");
    error(ctx, 401, given == null ? "a token is required (Authorization: Bearer <DGAD_WEB_TOKEN>)" : "wrong token");
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", message));
  }

  /**
   * A path or query string with a malformed percent-escape is the client's error. Checked before
   * any route matches: matching decodes the path (and, for a route with path parameters, the
   * query), and a failure there never reaches a failure handler.
   */
  private static void decodableUri(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      if (ctx.request().query() != null) {
        ctx.request().params();
      }
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "malformed URI: " + e.getMessage());
      return;
    }
    ctx.next();
  }

  /**
   * Any failed route as a JSON error with the failure's own status (a 4xx from a handler, 413 from
   * a body handler). The rest are internal errors: 500, and the only failures logged.
   */
  private static void failure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Throwable cause = ctx.failure();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) { // too late for an error body: end the exchange
      LOG.log(Level.SEVERE, "HTTP " + ctx.request().method() + " " + ctx.request().path() + " failed mid-answer", cause);
      response.reset();
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      Long limit = ctx.get(BODY_LIMIT);
      error(ctx, 413, "request body too large" + (limit == null ? "" : ": the limit is " + limit + " bytes"));
    } else if (status >= 400 && status < 600 && status != 500) {
      error(ctx, status, statusMessage(status, cause));
    } else {
      LOG.log(Level.SEVERE, "HTTP " + ctx.request().method() + " " + ctx.request().path() + " failed", cause);
      error(ctx, 500, "internal error: " + (cause == null ? "status " + status : cause.toString()));
    }
  }

  /** The status's reason, and what the failure tells the client (a body that does not decode). */
  private static String statusMessage(int status, Throwable cause) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String detail = cause instanceof HttpException he ? he.getPayload() : cause == null ? null : cause.getMessage();
    return detail == null ? reason : reason + ": " + detail;
  }

  private void ready(RoutingContext ctx) {
    Future<JsonObject> model = vertx.eventBus().<JsonObject>request(Bus.INFO, new JsonObject(),
        new DeliveryOptions().setSendTimeout(2000)).map(m -> m.body());
    Future<Void> ping = store.ping();
    Future.join(model, ping).onComplete(ar -> {
      boolean modelUp = model.succeeded();
      boolean redisUp = ping.succeeded();
      JsonObject body = new JsonObject().put("status", modelUp && redisUp ? "UP" : "DOWN").put("node", nodeId)
          .put("model", modelUp).put("redis", redisUp);
      if (modelUp) {
        body.put(Bus.MODEL_VERSION, model.result().getString(Bus.MODEL_VERSION));
      } else {
        body.put("model_error", String.valueOf(model.cause().getMessage()));
      }
      if (!redisUp) {
        body.put("redis_error", String.valueOf(ping.cause().getMessage()));
      }
      ctx.response().setStatusCode(modelUp && redisUp ? 200 : 503);
      ctx.json(body);
    });
  }

  private void classify(RoutingContext ctx) {
    List<Object> names;
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      error(ctx, 400, "empty body: send {\"domains\": [\"example.com\", ...]}");
      return;
    }
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
      names = new ArrayList<>();
      for (String line : body.toString(StandardCharsets.UTF_8).split("\r?\n")) {
        if (!line.isBlank()) {
          names.add(line.trim());
        }
      }
    } else {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        error(ctx, 400, "malformed JSON: send {\"domains\": [\"example.com\", ...]}");
        return;
      }
      if (json == null || !(json.getValue("domains") instanceof JsonArray a)) {
        error(ctx, 400, "the body needs a \"domains\" array");
        return;
      }
      names = a.getList();
    }
    if (names.size() > maxClassify) {
      error(ctx, 400, "too many domains: " + names.size() + " (the limit is " + maxClassify + ", web.maxClassify)");
      return;
    }
    // Only strings go to the classifiers; the other entries get their error in place below.
    List<Object> strings = names.stream().filter(n -> n instanceof String).toList();
    List<Future<JsonArray>> parts = new ArrayList<>();
    for (int i = 0; i < strings.size(); i += CLASSIFY_CHUNK) {
      List<Object> part = strings.subList(i, Math.min(strings.size(), i + CLASSIFY_CHUNK));
      JsonObject req = new JsonObject().put(Bus.NAMES, new JsonArray(new ArrayList<>(part)));
      long t0 = System.nanoTime();
      parts.add(vertx.eventBus().<JsonObject>request(Bus.CLASSIFY, req,
              new DeliveryOptions().setSendTimeout(Bus.DEFAULT_TIMEOUT_MS))
          .andThen(ar -> NodeMetrics.busRequest(Bus.CLASSIFY, System.nanoTime() - t0, ar.succeeded()))
          .map(m -> m.body().getJsonArray(Bus.RESULTS)));
    }
    Future.all(parts).onComplete(ar -> {
      if (ar.failed()) {
        Throwable c = ar.cause();
        if (c instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          error(ctx, 503, "no classifier answers on the event bus");
        } else if (c instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
          error(ctx, 504, "the classifiers did not answer in time");
        } else {
          error(ctx, 500, "classification failed: " + c.getMessage());
        }
        return;
      }
      List<Object> classified = new ArrayList<>(strings.size());
      for (Future<JsonArray> p : parts) {
        classified.addAll(p.result().getList());
      }
      ctx.json(new JsonObject().put(Bus.RESULTS, inInputOrder(names, classified)));
    });
  }

  /** The classifiers' results for the strings, and an error for each other entry where it was. */
  private static JsonArray inInputOrder(List<Object> names, List<Object> classified) {
    List<Object> notStrings = new ArrayList<>(names.size());
    for (Object name : names) {
      String given = name instanceof String ? null : shortened(Json.encode(name));
      notStrings.add(given == null ? null : Bus.Result.invalid(given, "not a string: " + given).toJson());
    }
    return new JsonArray(Bus.inInputOrder(notStrings, classified));
  }

  /** Echoes at most 100 characters of what a client sent. */
  private static String shortened(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }

  /**
   * Looks a name up as stored by the Redis door: as given, and normalised. A name that is not a
   * host name has no verdict; only the reason the Redis door recorded for it, if it saw it.
   */
  private void lookup(RoutingContext ctx) {
    String raw = ctx.request().getParam("domain");
    if (raw == null || raw.isBlank()) {
      error(ctx, 400, "give the name: /api/results?domain=example.com");
      return;
    }
    HostnameNormalizer.Result norm = HostnameNormalizer.normalize(raw);
    if (!norm.ok()) {
      lookupInvalid(ctx, raw, norm.error());
      return;
    }
    List<String> keys = new ArrayList<>();
    keys.add(raw);
    if (!norm.host().equals(raw)) {
      keys.add(norm.host());
    }
    store.storedResult(keys).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 503, "Redis does not answer: " + ar.cause().getMessage());
      } else if (ar.result() != null) {
        ctx.json(ar.result());
      } else {
        ctx.response().setStatusCode(404);
        ctx.json(new JsonObject().put("domain", norm.host()).put("error", "no result in Redis"));
      }
    });
  }

  /** 200 with the reason the Redis door recorded for the name, else 400 with the normaliser's. */
  private void lookupInvalid(RoutingContext ctx, String raw, String reason) {
    store.invalidReason(raw).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 503, "Redis does not answer: " + ar.cause().getMessage());
      } else if (ar.result() != null) {
        ctx.json(new JsonObject().put("domain", raw).put("error", ar.result()));
      } else {
        ctx.response().setStatusCode(400);
        ctx.json(new JsonObject().put("domain", raw).put("error", "not a host name: " + reason));
      }
    });
  }

  private void recent(RoutingContext ctx) {
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
    } catch (NumberFormatException e) {
      limit = 0; // not a number, or too large for one: the same answer as 0
    }
    if (limit < 1) {
      error(ctx, 400, "limit must be a whole number from 1 to " + Integer.MAX_VALUE + " (this node keeps the latest "
          + recentCap + " results, web.recent)");
      return;
    }
    JsonArray out = new JsonArray();
    Iterator<JsonObject> it = recent.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    ctx.json(out);
  }

  private void stream(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    r.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
    streams.add(r);
    r.closeHandler(v -> streams.remove(r));
    r.exceptionHandler(e -> streams.remove(r));
    r.write("retry: 2000\n\n");
    write(r, "hello", new JsonObject().put("node", nodeId).put("time", System.currentTimeMillis())
        .put("queue_depth", queueDepth));
  }

  // ---------------------------------------------------------------- event bus -> stream

  private void onResults(JsonObject event) {
    String node = event.getString(Bus.NODE);
    JsonArray results = event.getJsonArray(Bus.RESULTS);
    if (results == null) {
      return;
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < results.size(); i++) {
      if (!(results.getValue(i) instanceof JsonObject r)) {
        continue;
      }
      r.put("node", node).put("time", now);
      recent.addLast(r);
      if (recent.size() > recentCap) {
        recent.removeFirst();
      }
      tickClassified++;
      if (r.getString("error") != null) {
        tickInvalid++;
      } else if (r.getBoolean("is_dga", false)) {
        tickDga++;
        String f = r.getString("family");
        if (f != null) {
          tickFamilies.merge(f, 1L, Long::sum);
        }
      }
      if (!streams.isEmpty()) {
        tickSample.addLast(r);
        if (tickSample.size() > maxPerTick) {
          tickSample.removeFirst(); // keep the latest
        }
      }
    }
  }

  private void tick() {
    if (tickClassified == 0) {
      return;
    }
    JsonObject families = new JsonObject();
    tickFamilies.forEach(families::put);
    JsonObject ev = new JsonObject().put("time", System.currentTimeMillis()).put("classified", tickClassified)
        .put("dga", tickDga).put("invalid", tickInvalid).put("families", families)
        .put("sampled", tickSample.size()).put("results", new JsonArray(new ArrayList<>(tickSample)));
    tickClassified = 0;
    tickDga = 0;
    tickInvalid = 0;
    tickFamilies.clear();
    tickSample.clear();
    broadcast("results", ev);
  }

  private void sampleQueue() {
    store.queueDepth().onSuccess(n -> {
      queueDepth = n;
      NodeMetrics.queueDepth(queueDepth);
      broadcast("queue", new JsonObject().put("time", System.currentTimeMillis()).put("set", store.todoSet())
          .put("queue_depth", queueDepth));
    });
  }

  private void broadcast(String event, JsonObject data) {
    if (streams.isEmpty()) {
      return;
    }
    String frame = frame(event, data);
    for (HttpServerResponse r : streams) {
      if (r.writeQueueFull()) {
        dropped++; // a slow reader misses this event rather than growing the heap
        continue;
      }
      r.write(frame);
    }
  }

  private static void write(HttpServerResponse r, String event, JsonObject data) {
    r.write(frame(event, data));
  }

  /** One SSE frame; JSON encoding never produces a raw newline, so one data line suffices. */
  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }

  long dropped() {
    return dropped;
  }
}
