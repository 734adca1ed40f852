package io.dgadmesh.web;

import io.dgadmesh.bus.ResultFormat;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>Neither direction holds a job whole: a body goes to Redis in chunks as it arrives
 * ({@link JobUpload}; at most {@code web.maxJobBytes}, and {@code web.maxJobUploads} at once), and
 * results go out one task at a time, the next task read from Redis only when the client has taken
 * the last one. An id that is not a job id is 404 without asking Redis; a Redis failure is 503
 * "Redis did not answer", its detail only in the log.
 */
final class JobsRoutes {

  private final RedisStore store;
  private final JobStore jobs;
  private final long maxBytes;
  private final int maxUploads;
  private final AtomicInteger uploads = new AtomicInteger();

  /** {@code store} is the jobs' own (its pool apart from the dashboard's lookups); closed with these routes. */
  JobsRoutes(RedisStore store, long maxBytes, int maxUploads) {
    this.store = store;
    this.jobs = store.jobs();
    this.maxBytes = maxBytes;
    this.maxUploads = maxUploads;
  }

  void submit(RoutingContext ctx) {
    if (uploads.incrementAndGet() > maxUploads) {
      uploads.decrementAndGet();
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      ApiSupport.errorAndClose(ctx, 503, "too many job uploads at once (the limit is " + maxUploads
          + ", web.maxJobUploads): try again in a few seconds");
      return;
    }
    // The slot is free once the upload is answered, or over without an answer (the client left):
    // a refused upload's clean-up in Redis must not turn the client's next upload away.
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable release = () -> {
      if (held.compareAndSet(true, false)) {
        uploads.decrementAndGet();
      }
    };
    ctx.addEndHandler(ar -> release.run());
    JobUpload.start(ctx, jobs, maxBytes).onComplete(ar -> release.run());
  }

  void list(RoutingContext ctx) {
    jobs.list(100).map(l -> new JsonArray(new ArrayList<>(l))).onComplete(ar -> reply(ctx, ar, null));
  }

  void status(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!JobStore.isJobId(id)) {
      throw noJob(id);
    }
    jobs.status(id).onComplete(ar -> reply(ctx, ar, id));
  }

  void results(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String format = ctx.queryParams().get("format") == null ? "jsonl" : ctx.queryParams().get("format");
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw ApiSupport.refuse(400, "format must be jsonl or csv");
    }
    if (!JobStore.isJobId(id)) {
      throw noJob(id);
    }
    jobs.status(id).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        reply(ctx, ar, id);
        return;
      }
      long tasks = ar.result().getJsonObject("tasks").getLong("total");
      HttpServerResponse resp = ctx.response().setChunked(true)
          .putHeader("content-type", format.equals("csv") ? "text/csv" : "application/x-ndjson")
          .putHeader("x-job-status", ar.result().getString("status"));
      if (format.equals("csv")) {
        resp.write(ResultFormat.CSV_HEADER + "\n");
      }
      writeTasks(ctx, id, 0, tasks, format);
    });
  }

  /** Closes the jobs' Redis connections. */
  Future<Void> close() {
    return store.close();
  }

  /**
   * One task at a time, and the next one only once the client has read enough that the
   * connection's write queue is no longer full: a slow or stalled reader holds at most one task's
   * results and the write queue, however big the job. A client that left stops the reads.
   */
  private void writeTasks(RoutingContext ctx, String id, int task, long tasks, String format) {
    HttpServerResponse resp = ctx.response();
    if (resp.closed()) {
      return;
    }
    if (task >= tasks) {
      resp.end();
      return;
    }
    if (resp.writeQueueFull()) {
      resp.drainHandler(v -> writeTasks(ctx, id, task, tasks, format));
      return;
    }
    jobs.taskResults(id, task).onComplete(ar -> {
      if (ar.failed()) {
        ApiSupport.storeFailed(ctx, ar.cause()); // the head is out: the answer is cut short
        return;
      }
      String lines = ar.result();
      if (lines != null && !resp.closed()) {
        resp.write(format.equals("jsonl") ? lines : ResultFormat.csvOfJsonLines(lines));
      }
      writeTasks(ctx, id, task + 1, tasks, format);
    });
  }

  private static RuntimeException noJob(String id) {
    return ApiSupport.refuse(404, noJobMessage(id));
  }

  private static String noJobMessage(String id) {
    return "no job " + (id.length() <= 40 ? id : id.substring(0, 40) + "...");
  }

  /** The value (200); 404 for the job {@code id} when there is none; 503 when Redis failed. */
  private static void reply(RoutingContext ctx, AsyncResult<?> ar, String id) {
    if (ar.failed()) {
      ApiSupport.storeFailed(ctx, ar.cause());
    } else if (ar.result() == null) {
      ApiSupport.error(ctx, 404, noJobMessage(id));
    } else {
      ctx.json(ar.result());
    }
  }
}
