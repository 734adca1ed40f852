package io.dgadmesh.web;

import io.dgadmesh.redis.RedisStore;
import io.dgadmesh.model.HostnameNormalizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

  private final RedisStore store;
  private final int recentCap;
  private final ArrayDeque<JsonObject> recent = new ArrayDeque<>();

  ResultRoutes(RedisStore store, int recentCap) {
    this.store = store;
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
    store.storedResult(keys).onComplete(ar -> {
      if (ar.failed()) {
        ApiSupport.storeFailed(ctx, ar.cause());
      } else if (ar.result() == null) {
        ctx.response().setStatusCode(404);
        ctx.json(new JsonObject().put("domain", norm.host()).put("error", "no result in Redis"));
      } else {
        ctx.json(ar.result());
      }
    });
  }

  /** 200 with the reason the Redis door recorded for the name, else 400 with the normaliser's. */
  private void lookupInvalid(RoutingContext ctx, String raw, String reason) {
    store.invalidReason(raw).onComplete(ar -> {
      if (ar.failed()) {
        ApiSupport.storeFailed(ctx, ar.cause());
      } else if (ar.result() != null) {
        ctx.json(new JsonObject().put("domain", raw).put("error", ar.result()));
      } else {
        ctx.response().setStatusCode(400);
        ctx.json(new JsonObject().put("domain", raw).put("error", "not a host name: " + reason));
      }
    });
  }
}
