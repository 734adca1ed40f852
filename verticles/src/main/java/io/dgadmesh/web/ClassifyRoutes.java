package io.dgadmesh.web;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/classify}: {@code {"domains": [...]}} (or text, one name per line) to
 * {@code {"results": [...]}}, one result per entry in input order. An entry that is not a host
 * name, or not a string, gets an error in its place; the request as a whole is refused only when
 * it cannot be read or holds more than {@code web.maxClassify} entries, or when the classifiers
 * cannot take it (503: none answers, or their queues are full; 504: no answer in time).
 */
final class ClassifyRoutes {

  private static final Logger LOG = Logger.getLogger(ClassifyRoutes.class.getName());

  /** Names per event-bus request, so that one large request spreads over the classifiers. */
  private static final int CHUNK = 512;

  private final Vertx vertx;
  private final int maxClassify;

  ClassifyRoutes(Vertx vertx, int maxClassify) {
    this.vertx = vertx;
    this.maxClassify = maxClassify;
  }

  /** Up to maxClassify names of at most 253 characters each, JSON-quoted, plus slack. */
  long bodyLimit() {
    return (long) maxClassify * 300 + 64 * 1024;
  }

  void classify(RoutingContext ctx) {
    List<Object> names = ApiSupport.domains(ctx);
    if (names.size() > maxClassify) {
      throw ApiSupport.refuse(400, "too many domains: " + names.size() + " (the limit is " + maxClassify
          + ", web.maxClassify)");
    }
    // Only strings go to the classifiers; the other entries get their error in place below.
    List<Object> strings = names.stream().filter(n -> n instanceof String).toList();
    List<Future<JsonArray>> parts = new ArrayList<>();
    for (int i = 0; i < strings.size(); i += CHUNK) {
      parts.add(classify(strings.subList(i, Math.min(strings.size(), i + CHUNK))));
    }
    Future.all(parts).onComplete(ar -> {
      if (ar.failed()) {
        Throwable c = ar.cause();
        if (c instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          ApiSupport.error(ctx, 503, "no classifier answers on the event bus");
        } else if (c instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
          ApiSupport.error(ctx, 504, "the classifiers did not answer in time");
        } else if (c instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
            && re.failureCode() == Bus.OVERLOADED) {
          ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
          ApiSupport.error(ctx, 503, "the classifiers are busy (their queues are full): try again in a moment");
        } else {
          LOG.log(Level.WARNING, "classification failed", c);
          ApiSupport.error(ctx, 500, "classification failed (the node's log has the detail)");
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

  private Future<JsonArray> classify(List<Object> part) {
    JsonObject req = new JsonObject().put(Bus.NAMES, new JsonArray(new ArrayList<>(part)));
    long t0 = System.nanoTime();
    // The timeout header lets a classifier drop the request unrun once this caller has given up.
    return vertx.eventBus().<JsonObject>request(Bus.CLASSIFY, req, new DeliveryOptions().setSendTimeout(Bus.DEFAULT_TIMEOUT_MS)
            .addHeader(Bus.TIMEOUT_HEADER, Long.toString(Bus.DEFAULT_TIMEOUT_MS)))
        .andThen(ar -> NodeMetrics.busRequest(Bus.CLASSIFY, System.nanoTime() - t0, ar.succeeded()))
        .map(m -> m.body().getJsonArray(Bus.RESULTS));
  }

  /** The classifiers' results for the strings, and an error for each other entry where it was. */
  private static JsonArray inInputOrder(List<Object> names, List<Object> classified) {
    List<Object> notStrings = new ArrayList<>(names.size());
    for (Object name : names) {
      String given = name instanceof String ? null : ApiSupport.asSent(name);
      notStrings.add(given == null ? null : Bus.Result.invalid(given, "not a string: " + given).toJson());
    }
    return new JsonArray(Bus.inInputOrder(notStrings, classified));
  }
}
