package io.dgadmesh.web;

import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /api/stream}: Server-Sent Events for the dashboard.
 * <pre>
 * hello    {"node", "time", "queue_depth"}      once, when a client connects
 * results  every web.streamTickMs with results: counts of everything classified cluster-wide in
 *          the tick, and the latest web.streamMaxPerTick of them
 * stats    the leader's dgad.stats, as published
 * queue    {"time", "set", "queue_depth"}       every web.queueSampleMs (SCARD of the todo set)
 * </pre>
 * A tick sums results instead of sending each one, so that the page's cost does not grow with the
 * cluster's throughput. A reader too slow to keep up misses events rather than growing the heap.
 */
final class LiveStream {

  private final Vertx vertx;
  private final RedisStore store;
  private final String nodeId;
  private final int maxPerTick;

  private final Set<HttpServerResponse> streams = new LinkedHashSet<>();
  /** Results since the last tick (a sample of at most maxPerTick) and what they add up to. */
  private final ArrayDeque<JsonObject> tickSample = new ArrayDeque<>();
  private long tickClassified;
  private long tickDga;
  private long tickInvalid;
  private final Map<String, Long> tickFamilies = new TreeMap<>();
  private long dropped;
  private long queueDepth = -1;

  LiveStream(Vertx vertx, RedisStore store, String nodeId, int maxPerTick) {
    this.vertx = vertx;
    this.store = store;
    this.nodeId = nodeId;
    this.maxPerTick = maxPerTick;
  }

  /** Starts the ticks; they stop with the verticle that calls this. */
  void start(long tickMs, long queueSampleMs) {
    vertx.setPeriodic(tickMs, id -> tick());
    vertx.setPeriodic(queueSampleMs, id -> sampleQueue());
    // Proxies close a connection that stays silent too long.
    vertx.setPeriodic(15_000, id -> streams.forEach(r -> r.write(": keep-alive\n\n")));
  }

  void open(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    r.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store")
        .putHeader("X-Accel-Buffering", "no");
    streams.add(r);
    r.closeHandler(v -> streams.remove(r));
    r.exceptionHandler(e -> streams.remove(r));
    r.write("retry: 2000\n\n");
    r.write(frame("hello", new JsonObject().put("node", nodeId).put("time", System.currentTimeMillis())
        .put("queue_depth", queueDepth)));
  }

  /** A result seen on {@code dgad.results}, stamped with its node and time: counted for the next tick. */
  void count(JsonObject r) {
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

  /** A host that turned infected ({@code dgad.alerts}): sent at once, not with the next tick. */
  void alert(JsonObject report) {
    broadcast("alert", report);
  }

  /** The leader's {@code dgad.stats}. */
  void stats(JsonObject stats) {
    broadcast("stats", stats);
  }

  /** Ends every open stream. */
  void close() {
    for (HttpServerResponse r : new ArrayList<>(streams)) {
      r.end();
    }
    streams.clear();
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
        dropped++;
        continue;
      }
      r.write(frame);
    }
  }

  /** One SSE frame; JSON encoding never produces a raw newline, so one data line suffices. */
  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }

  /** Events a slow reader missed. */
  long dropped() {
    return dropped;
  }
}
