package io.dgadmesh.web;

import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results after the fact:
 * <pre>
 * GET /api/results?domain=NAME      the result the Redis door stored: 404 when there is none; for a
 *                                   name that is not a host name, the reason the door recorded, else 400
 * GET /api/results/recent?limit=N   the latest results seen on the event bus, newest first
 * </pre>
 * The recent ones are a ring of the last {@code web.recent} results, fed by the verticle.
 */
final class ResultRoutes {

  private final Redis redis;
  private final int recentCap;
  private final ArrayDeque<JsonObject> recent = new ArrayDeque<>();

  ResultRoutes(Redis redis, int recentCap) {
    this.redis = redis;
    this.recentCap = recentCap;
  }

  /** A result seen on {@code dgad.results}, already stamped with its node and time. */
  void remember(JsonObject result) {
    recent.addLast(result);
    if (recent.size() > recentCap) {
      recent.removeFirst();
    }
  }

  void recent(RoutingContext ctx) {
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
    } catch (NumberFormatException e) {
      limit = 0; // not a number, or too large for one: the same answer as 0
    }
    if (limit < 1) {
      throw ApiSupport.refuse(400, "limit must be a whole number from 1 to " + Integer.MAX_VALUE
          + " (this node keeps the latest " + recentCap + " results, web.recent)");
    }
    JsonArray out = new JsonArray();
    Iterator<JsonObject> it = recent.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    ctx.json(out);
  }

  /**
   * Looks a name up as stored by the Redis door: as given, and normalised. A name that is not a
   * host name has no verdict; only the reason the Redis door recorded for it, if it saw it.
   */
  void lookup(RoutingContext ctx) {
    String raw = ctx.request().getParam("domain");
    if (raw == null || raw.isBlank()) {
      throw ApiSupport.refuse(400, "give the name: /api/results?domain=example.com");
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
    fetchStored(keys).onComplete(ar -> {
      if (ar.failed()) {
        ApiSupport.error(ctx, 503, "Redis does not answer: " + ar.cause().getMessage());
        return;
      }
      JsonObject found;
      try {
        found = found(keys, ar.result());
      } catch (RuntimeException e) {
        ctx.fail(e); // an unexpected reply: an internal error
        return;
      }
      if (found == null) {
        ctx.response().setStatusCode(404);
        ctx.json(new JsonObject().put("domain", norm.host()).put("error", "no result in Redis"));
      } else {
        ctx.json(found);
      }
    });
  }

  /** 200 with the reason the Redis door recorded for the name, else 400 with the normaliser's. */
  private void lookupInvalid(RoutingContext ctx, String raw, String reason) {
    fetchInvalidReason(raw).onComplete(ar -> {
      if (ar.failed()) {
        ApiSupport.error(ctx, 503, "Redis does not answer: " + ar.cause().getMessage());
      } else if (ar.result() != null) {
        ctx.json(new JsonObject().put("domain", raw).put("error", ar.result()));
      } else {
        ctx.response().setStatusCode(400);
        ctx.json(new JsonObject().put("domain", raw).put("error", "not a host name: " + reason));
      }
    });
  }

  // ---------------------------------------------------------------- Redis

  /** For each key: its label (GET) and its result hash (HGETALL), in that order. */
  private Future<List<Response>> fetchStored(List<String> keys) {
    List<Future<Response>> replies = new ArrayList<>();
    for (String k : keys) {
      replies.add(send(Request.cmd(Command.GET).arg(k)));
      replies.add(send(Request.cmd(Command.HGETALL).arg(RedisKeys.result(k))));
    }
    return Future.all(replies).map(all -> all.list());
  }

  /** The reason the Redis door recorded for a name that is not a host name, or null. */
  private Future<String> fetchInvalidReason(String raw) {
    return send(Request.cmd(Command.GET).arg(RedisKeys.invalidReason(raw))).map(r -> r == null ? null : r.toString());
  }

  /**
   * One command; a key of another type (any key may be named like a host: the todo set, a
   * user's own) holds no result, like a missing key. Sent alone: in a batch its error fails all.
   */
  private Future<Response> send(Request request) {
    return redis.send(request).recover(e -> String.valueOf(e.getMessage()).startsWith("WRONGTYPE")
        ? Future.succeededFuture(null) : Future.failedFuture(e));
  }

  /** The first key with a verdict, as the API shows it; null when none has one. */
  private static JsonObject found(List<String> keys, List<Response> r) {
    for (int i = 0; i < keys.size(); i++) {
      Response label = r.get(2 * i);
      if (label != null && ("DGA".equals(label.toString()) || "ok".equals(label.toString()))) {
        return stored(keys.get(i), label.toString(), r.get(2 * i + 1));
      }
    }
    return null;
  }

  private static JsonObject stored(String name, String label, Response hashReply) {
    JsonObject j = new JsonObject().put("domain", name).put("label", label).put("is_dga", "DGA".equals(label));
    Map<String, String> hash = hash(hashReply);
    if (!hash.isEmpty()) {
      String family = hash.get("family");
      j.put("score", num(hash, "score")).put("family", family == null || family.isEmpty() ? null : family)
          .put("family_score", num(hash, "family_score")).put("node", hash.get("node"))
          .put("time", hash.get("time"));
    }
    return j;
  }

  /** HGETALL as a map, whether Redis answered with a RESP3 map or a RESP2 flat array. */
  static Map<String, String> hash(Response r) {
    Map<String, String> m = new TreeMap<>();
    if (r == null || r.size() == 0) {
      return m;
    }
    try {
      for (String k : r.getKeys()) {
        m.put(k, String.valueOf(r.get(k)));
      }
    } catch (RuntimeException notAMap) {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        m.put(r.get(i).toString(), String.valueOf(r.get(i + 1)));
      }
    }
    return m;
  }

  private static Double num(Map<String, String> hash, String field) {
    String s = hash.get(field);
    try {
      return s == null ? null : Double.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
