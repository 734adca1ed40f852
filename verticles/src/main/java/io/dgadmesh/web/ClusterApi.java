package io.dgadmesh.web;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.bus.ResultFormat;
import io.dgadmesh.cluster.LeaderVerticle;
import io.dgadmesh.cluster.ClusterContext;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cluster and jobs HTTP API as a vertx-web sub-router, mounted under {@code /api} by the web
 * role's verticle:
 * <pre>
 * GET  /cluster                 {"leader": id, "nodes": [NodeInfo...], "stats": latest dgad.stats or null}
 * POST /jobs                    {"domains": [...]} or text/plain, one name per line  -> 201 {"id", "total"}
 * GET  /jobs                    [job status...] (newest first, at most 100)
 * GET  /jobs/:id                {"id","status","total","done","tasks":{"total","done","running"},"created","finished"}
 * GET  /jobs/:id/results?format=jsonl|csv   results of the tasks done so far, in name order
 * </pre>
 */
public final class ClusterApi {

  static final long MAX_BODY = 64L << 20;

  private ClusterApi() {}

  /** The sub-router; {@code conf} is the node configuration (its "redis" section is used). */
  public static Router router(Vertx vertx, JsonObject conf) {
    JobStore jobs = RedisStore.create(vertx, NodeSettings.of(conf).redis(), RedisStore.Pool.DEFAULT).jobs();
    AtomicReference<JsonObject> latest = new AtomicReference<>();
    vertx.eventBus().<JsonObject>consumer(Bus.STATS, m -> latest.set(m.body()));
    Router r = Router.router(vertx);
    r.get("/cluster").handler(rc -> cluster(vertx, latest.get()).onComplete(ar -> reply(rc, ar, 200)));
    r.post("/jobs").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(rc -> {
      List<String> names;
      try {
        names = names(rc);
      } catch (IllegalArgumentException e) {
        rc.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", e.getMessage()).encode());
        return;
      }
      jobs.submit(names).onComplete(ar -> reply(rc, ar, 201));
    });
    r.get("/jobs").handler(rc -> jobs.list(100).map(l -> new JsonArray(new ArrayList<>(l)))
        .onComplete(ar -> reply(rc, ar, 200)));
    r.get("/jobs/:id").handler(rc -> jobs.status(rc.pathParam("id")).onComplete(ar -> reply(rc, ar, 200)));
    r.get("/jobs/:id/results").handler(rc -> results(rc, jobs));
    return r;
  }

  static Future<JsonObject> cluster(Vertx vertx, JsonObject stats) {
    return LeaderVerticle.leader(vertx).compose(leader -> vertx.sharedData()
        .<String, JsonObject>getAsyncMap(Bus.NODE_REGISTRY).compose(AsyncMap::entries).map(entries -> {
          List<String> members = ClusterContext.of(vertx).membership().oldestFirst();
          JsonArray nodes = new JsonArray();
          entries.values().stream().filter(n -> members.contains(n.getString("member")))
              .sorted((a, b) -> Long.compare(a.getLong("started", 0L), b.getLong("started", 0L)))
              .forEach(n -> nodes.add(n));
          return new JsonObject().put("leader", leader).put("nodes", nodes).put("stats", stats);
        }));
  }

  private static List<String> names(RoutingContext rc) {
    String type = rc.request().getHeader("content-type");
    List<String> out = new ArrayList<>();
    if (type != null && type.startsWith("application/json")) {
      JsonObject body;
      try {
        body = rc.body().asJsonObject();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("body is not a JSON object: " + e.getMessage());
      }
      JsonArray a = body == null ? null : body.getJsonArray("domains");
      if (a == null) {
        throw new IllegalArgumentException("JSON body needs a \"domains\" array");
      }
      for (Object o : a) {
        out.add(String.valueOf(o));
      }
    } else {
      String text = rc.body().asString();
      for (String line : (text == null ? "" : text).split("\n")) {
        String n = line.strip();
        if (!n.isEmpty()) {
          out.add(n);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no names in the request");
    }
    return out;
  }

  private static void results(RoutingContext rc, JobStore jobs) {
    String id = rc.pathParam("id");
    String format = rc.queryParams().get("format") == null ? "jsonl" : rc.queryParams().get("format");
    if (!format.equals("jsonl") && !format.equals("csv")) {
      rc.response().setStatusCode(400).end("format must be jsonl or csv\n");
      return;
    }
    jobs.status(id).onComplete(ar -> {
      if (ar.failed()) {
        rc.response().setStatusCode(503).end(ar.cause().getMessage() + "\n");
        return;
      }
      if (ar.result() == null) {
        rc.response().setStatusCode(404).end("no job " + id + "\n");
        return;
      }
      long tasks = ar.result().getJsonObject("tasks").getLong("total");
      HttpServerResponse resp = rc.response().setChunked(true)
          .putHeader("content-type", format.equals("csv") ? "text/csv" : "application/x-ndjson")
          .putHeader("x-job-status", ar.result().getString("status"));
      if (format.equals("csv")) {
        resp.write("domain,is_dga,score,family,family_score,error\n");
      }
      writeTasks(resp, jobs, id, 0, tasks, format);
    });
  }

  /** One task at a time, so a big job streams with flat memory. */
  private static void writeTasks(HttpServerResponse resp, JobStore jobs, String id, int task, long tasks, String format) {
    if (task >= tasks) {
      resp.end();
      return;
    }
    jobs.taskResults(id, task).onComplete(ar -> {
      if (ar.failed()) {
        resp.reset();
        return;
      }
      String lines = ar.result();
      if (lines != null) {
        resp.write(format.equals("jsonl") ? lines : ResultFormat.csvOfJsonLines(lines));
      }
      writeTasks(resp, jobs, id, task + 1, tasks, format);
    });
  }

  /** Result JSON lines as CSV rows (no header). */
  private static void reply(RoutingContext rc, io.vertx.core.AsyncResult<?> ar, int status) {
    HttpServerResponse resp = rc.response().putHeader("content-type", "application/json");
    if (ar.failed()) {
      resp.setStatusCode(503).end(new JsonObject().put("error", String.valueOf(ar.cause().getMessage())).encode());
    } else if (ar.result() == null) {
      resp.setStatusCode(404).end(new JsonObject().put("error", "not found").encode());
    } else {
      Object v = ar.result();
      resp.setStatusCode(status).end(v instanceof JsonArray a ? a.encode() : ((JsonObject) v).encode());
    }
  }
}
