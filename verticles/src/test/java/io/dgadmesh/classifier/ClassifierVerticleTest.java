package io.dgadmesh.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.testing.Names;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClassifierVerticleTest {

  @Test
  void classifiesNormalisesAndRejectsInOrder(Vertx vertx, VertxTestContext ctx) {
    String dga = Names.randomDga(20, 1);
    List<String> names = List.of("  Google.COM. ", dga, "", "a..b", "x".repeat(64) + ".com",
        "bad_name!.com", "münchen.de");
    vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setInstances(2))
        .compose(id -> Bus.classify(vertx.eventBus(), names))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          assertEquals(names.size(), results.size());
          Bus.Result google = results.get(0);
          assertEquals("google.com", google.domain());
          assertNull(google.error());
          assertFalse(google.isDga(), "google.com must be benign: " + google);
          assertNull(google.family());
          assertTrue(google.score() >= 0f && google.score() <= 1f);
          Bus.Result random = results.get(1);
          assertTrue(random.isDga(), "random name must be DGA: " + random);
          assertNotNull(random.family());
          assertTrue(random.familyScore() > 0f && random.familyScore() <= 1f);
          assertEquals("empty name", results.get(2).error());
          assertTrue(results.get(3).error().contains("empty label"));
          assertTrue(results.get(4).error().contains("longer than 63"));
          assertTrue(results.get(5).error().contains("characters outside a host name"));
          assertEquals("xn--mnchen-3ya.de", results.get(6).domain());
          assertNull(results.get(6).error());
          JsonObject json = google.toJson();
          assertEquals(List.of("domain", "is_dga", "score", "family", "family_score", "model", "point"),
              new ArrayList<>(json.fieldNames()));
          assertEquals("balanced", google.point(), "judged at the default operating point");
          assertNull(results.get(2).point(), "no point judged an invalid name");
          // The model that judged it: its declared version and its content hash.
          assertTrue(google.model().matches(".+@[0-9a-f]{12}"), google.model());
          assertNull(results.get(2).model(), "no model judged an invalid name");
          ctx.completeNow();
        })));
  }

  @Test
  void anAllowlistedNameIsOkWithItsScoreAndCounted(Vertx vertx, VertxTestContext ctx) throws Exception {
    String dga = Names.randomDga(20, 7);
    String label = dga.substring(0, dga.indexOf('.'));
    java.nio.file.Path list = java.nio.file.Files.createTempFile("allow", ".txt");
    java.nio.file.Files.writeString(list, "# ours\n*.corp-" + label + ".net\n" + dga + "\n");
    JsonObject conf = new JsonObject().put("classifier", new JsonObject().put("allowlistPath", list.toString()));
    long before = io.dgadmesh.metrics.NodeMetrics.allowlisted();
    vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .compose(id -> Bus.classify(vertx.eventBus(), List.of(dga, "www." + dga, "x.corp-" + label + ".net",
            label + "q.com")))
        .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
          for (Bus.Result r : results.subList(0, 3)) {
            assertTrue(r.allowlisted(), r.toString());
            assertFalse(r.isDga(), r.toString());
            assertNull(r.family());
            assertTrue(r.toJson().getBoolean("allowlisted"));
          }
          assertTrue(results.get(0).score() > 0.5f, "the model's score is kept: " + results.get(0));
          Bus.Result other = results.get(3);
          assertFalse(other.allowlisted(), "a name outside the list: " + other);
          assertTrue(other.isDga(), other.toString());
          assertFalse(other.toJson().containsKey("allowlisted"));
          assertEquals(before + 3, io.dgadmesh.metrics.NodeMetrics.allowlisted());
          ctx.completeNow();
        })));
  }

  @Test
  void publishesEveryAnsweredBatchOnDgadResults(Vertx vertx, VertxTestContext ctx) {
    String dga = Names.randomDga(20, 31);
    JsonObject conf = new JsonObject().put("node", new JsonObject().put("id", "pub-1"));
    vertx.eventBus().<JsonObject>consumer(Bus.RESULTS_PUBLISH, msg -> ctx.verify(() -> {
      // The contract with the cluster work: {"node": id, "results": [Result json...]}
      JsonObject ev = msg.body();
      assertEquals("pub-1", ev.getString(Bus.NODE));
      List<Bus.Result> results = Bus.results(ev);
      assertEquals(2, results.size());
      assertEquals(dga, results.get(0).domain());
      assertTrue(results.get(0).isDga());
      assertNotNull(results.get(1).error());
      ctx.completeNow();
    })).completion()
        .compose(v -> vertx.deployVerticle(ClassifierVerticle.class.getName(), new DeploymentOptions().setConfig(conf)))
        .compose(id -> Bus.classify(vertx.eventBus(), List.of(dga, "bad_name!.com")))
        .onFailure(ctx::failNow);
  }

  @Test
  void coalescesConcurrentCallersIntoBatches(Vertx vertx, VertxTestContext ctx) {
    int callers = 300;
    vertx.deployVerticle(new ClassifierVerticle()).compose(id -> {
      List<Future<List<Bus.Result>>> all = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String name = i % 2 == 0 ? "example" + i + ".org" : Names.randomDga(18, i);
        all.add(Bus.classify(vertx.eventBus(), List.of(name)));
      }
      return Future.all(all).map(cf -> all);
    }).compose(all -> Bus.info(vertx.eventBus()).map(info -> {
      ctx.verify(() -> {
        for (int i = 0; i < callers; i++) {
          List<Bus.Result> r = all.get(i).result();
          assertEquals(1, r.size());
          assertNull(r.get(0).error());
        }
        assertEquals(callers, info.getLong(Bus.BATCHED_NAMES));
        // 300 single-name callers must have shared model calls.
        assertTrue(info.getLong(Bus.BATCHES) < callers / 2, "batches: " + info);
        assertFalse(info.getString(Bus.MODEL_VERSION).isEmpty());
      });
      return info;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void requestWithoutNamesIsRefused(Vertx vertx, VertxTestContext ctx) {
    vertx.deployVerticle(new ClassifierVerticle())
        .compose(id -> vertx.eventBus().request(Bus.CLASSIFY, new JsonObject()))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(Bus.BAD_REQUEST, ((ReplyException) err).failureCode());
          ctx.completeNow();
        })));
  }
}
