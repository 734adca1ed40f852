package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.hosts.DomainEvidence;
import io.dgadmesh.hosts.HostReport;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.hosts.HostState;
import io.dgadmesh.hosts.HostStateJson;
import io.dgadmesh.hosts.Popularity;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.redis.HostStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Per-host detection over HTTP: {@code POST /api/ingest} (a batch of DNS records, answered once
 * the hosts' state is written), {@code GET /api/hosts} (ranked, {@code ?infected=true},
 * {@code ?limit=}) and {@code GET /api/hosts/<address>} (one host with all its evidence, as a
 * timeline).
 */
final class HostRoutes {
  static final int MAX_LIST = 1000;
  /** A batch of {@link IngestBus#MAX_RECORDS} records of a few hundred bytes each, with room. */
  static final long INGEST_BODY_LIMIT = 16L * 1024 * 1024;

  private final Vertx vertx;
  private final HostStore hosts;
  private final HostScore scorer;

  HostRoutes(Vertx vertx, HostStore hosts, double threshold) {
    this.vertx = vertx;
    this.hosts = hosts;
    this.scorer = HostScore.atThreshold(threshold);
  }

  void ingest(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw ApiSupport.refuse(400, "the body must be a JSON object {\"records\": [[time_ms, client, query, qtype, rcode, [answers]], ...]}");
    }
    List<DnsRecord> records;
    List<String> sources;
    try {
      records = IngestBus.records(body);
      sources = IngestBus.sources(body);
    } catch (IllegalArgumentException e) {
      throw ApiSupport.refuse(400, e.getMessage());
    }
    (sources.isEmpty() ? IngestBus.send(vertx.eventBus(), records) : IngestBus.send(vertx.eventBus(), records, sources))
        .onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.json(ar.result().toJson());
        return;
      }
      if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && re.failureCode() == Bus.BAD_REQUEST) {
        ApiSupport.error(ctx, 400, re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        ApiSupport.error(ctx, 503, "no node with the worker role takes DNS records");
      } else {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        ApiSupport.error(ctx, 503, "host evidence is busy: " + ar.cause().getMessage());
      }
    });
  }

  void list(RoutingContext ctx) {
    boolean infected = "true".equals(ctx.request().getParam("infected"));
    int limit = limit(ctx.request().getParam("limit"));
    hosts.ranked(limit, infected).compose(ranked -> {
      List<String> names = ranked.stream().map(Map.Entry::getKey).toList();
      return hosts.states(names).compose(states -> hosts.counts().map(counts -> {
        JsonArray out = new JsonArray();
        for (HostStore.Loaded l : states) {
          if (l.state() != null) {
            out.add(report(l));
          }
        }
        return new JsonObject().put("hosts", out).put("tracked", counts[0]).put("infected", counts[1]);
      }));
    }).onComplete(ar -> reply(ctx, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  void one(RoutingContext ctx) {
    String host = ctx.pathParam("host");
    if (host == null || !IngestBus.CLIENT.matcher(host).matches()) {
      ApiSupport.error(ctx, 404, "no such host");
      return;
    }
    hosts.load(host).onComplete(ar -> {
      if (ar.failed()) {
        reply(ctx, null, ar.cause());
        return;
      }
      if (ar.result().state() == null) {
        ApiSupport.error(ctx, 404, "no evidence of host " + host + " in the window");
        return;
      }
      HostState st = HostStateJson.read(ar.result().state());
      JsonObject report = report(ar.result());
      List<DomainEvidence> timeline = new ArrayList<>(st.evidence());
      timeline.sort(Comparator.comparingLong(DomainEvidence::timeMillis));
      JsonArray t = new JsonArray();
      for (DomainEvidence e : timeline) {
        t.add(new JsonObject().put("time", e.hasTime() ? e.timeMillis() : null).put("name", e.name())
            .put("domain", e.unit()).put("score", e.score()).put("family", e.family())
            .put("rcode", e.answer().rcode()));
      }
      ctx.json(report.put("timeline", t));
    });
  }

  /**
   * A stored host as {@code bin/dgad hosts} prints it. The score and verdict are the ones its
   * writer computed with the cluster's popularity (what the ranking and the alerts used); the
   * evidence weights are recomputed here without it.
   */
  private JsonObject report(HostStore.Loaded l) {
    HostState st = HostStateJson.read(l.state());
    JsonObject j = new JsonObject(HostReport.of(st, scorer.evaluate(st, Popularity.unknown())).toJsonLine());
    return j.put("score", l.score()).put("infected", l.infected());
  }

  private static int limit(String given) {
    if (given == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(given);
      if (n >= 1 && n <= MAX_LIST) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error
    }
    throw ApiSupport.refuse(400, "limit must be a number from 1 to " + MAX_LIST);
  }

  private static void reply(RoutingContext ctx, JsonObject body, Throwable err) {
    if (err != null) {
      ApiSupport.storeFailed(ctx, err);
    } else {
      ctx.json(body);
    }
  }
}
