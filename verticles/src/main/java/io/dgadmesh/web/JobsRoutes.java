package io.dgadmesh.web;

import io.dgadmesh.bus.ResultFormat;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch jobs over HTTP (their state is in Redis, see {@link JobStore}):
 * <pre>
 * POST /api/jobs                    {"domains": [...]} or text, one name per line  -> 201 {"id", "total"}
 * GET  /api/jobs                    [job status...] (newest first, at most 100)
 * GET  /api/jobs/:id                {"id","status","total","done","tasks":{"total","done","running"},"created","finished"}
 * GET  /api/jobs/:id/results?format=jsonl|csv   results of the tasks done so far, in name order
 * </pre>
 * A job takes names only: an entry that is not a string refuses the whole submit (400 naming it),
 * since a job's results are written long after the request could carry an error in its place.
 */
final class JobsRoutes {

  /** Large enough for a file of a few million names. */
  static final long MAX_BODY = 64L << 20;

  private final RedisStore store;
  private final JobStore jobs;

  /** {@code store} is the jobs' own (its pool apart from the dashboard's lookups); closed with these routes. */
  JobsRoutes(RedisStore store) {
    this.store = store;
    this.jobs = store.jobs();
  }

  void submit(RoutingContext ctx) {
    List<String> names = ApiSupport.strings(ApiSupport.domains(ctx));
    if (names.isEmpty()) {
      throw ApiSupport.refuse(400, "no names in the request");
    }
    jobs.submit(names).onComplete(ar -> reply(ctx, ar, 201, null));
  }

  void list(RoutingContext ctx) {
    jobs.list(100).map(l -> new JsonArray(new ArrayList<>(l))).onComplete(ar -> reply(ctx, ar, 200, null));
  }

  void status(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    jobs.status(id).onComplete(ar -> reply(ctx, ar, 200, "no job " + id));
  }

  void results(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String format = ctx.queryParams().get("format") == null ? "jsonl" : ctx.queryParams().get("format");
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw ApiSupport.refuse(400, "format must be jsonl or csv");
    }
    jobs.status(id).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        reply(ctx, ar, 200, "no job " + id);
        return;
      }
      long tasks = ar.result().getJsonObject("tasks").getLong("total");
      HttpServerResponse resp = ctx.response().setChunked(true)
          .putHeader("content-type", format.equals("csv") ? "text/csv" : "application/x-ndjson")
          .putHeader("x-job-status", ar.result().getString("status"));
      if (format.equals("csv")) {
        resp.write("domain,is_dga,score,family,family_score,error\n");
      }
      writeTasks(resp, id, 0, tasks, format);
    });
  }

  /** Closes the jobs' Redis connections. */
  Future<Void> close() {
    return store.close();
  }

  /** One task at a time, so a big job streams with flat memory. */
  private void writeTasks(HttpServerResponse resp, String id, int task, long tasks, String format) {
    if (task >= tasks) {
      resp.end();
      return;
    }
    jobs.taskResults(id, task).onComplete(ar -> {
      if (ar.failed()) {
        resp.reset(); // the head is out: only cutting the answer short tells the client
        return;
      }
      String lines = ar.result();
      if (lines != null) {
        resp.write(format.equals("jsonl") ? lines : ResultFormat.csvOfJsonLines(lines));
      }
      writeTasks(resp, id, task + 1, tasks, format);
    });
  }

  /** The value with its status; 503 when Redis failed, 404 with {@code missing} when there is none. */
  private static void reply(RoutingContext ctx, AsyncResult<?> ar, int status, String missing) {
    if (ar.failed()) {
      ApiSupport.error(ctx, 503, String.valueOf(ar.cause().getMessage()));
    } else if (ar.result() == null) {
      ApiSupport.error(ctx, 404, missing == null ? "not found" : missing);
    } else {
      ctx.response().setStatusCode(status);
      ctx.json(ar.result());
    }
  }
}
