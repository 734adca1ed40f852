package io.dgadmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The aggregator in front of an asynchronous runner (as the gRPC doors use it). */
@ExtendWith(VertxExtension.class)
class BatchAggregatorTest {

  @Test
  void concurrentCallersShareFewRunsAndEachGetsItsOwnResults(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    vertx.runOnContext(v -> {
      BatchAggregator<String, String> agg = new BatchAggregator<>(vertx, names -> {
        runs.incrementAndGet();
        maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Promise<List<String>> p = Promise.promise();
        // An asynchronous runner that answers later, like an event-bus request.
        vertx.setTimer(3, t -> {
          inFlight.decrementAndGet();
          p.complete(names.stream().map(n -> n.toUpperCase()).toList());
        });
        return p.future();
      }, 2, 64, 1, true);
      List<Future<List<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        calls.add(agg.submit(List.of("name" + i)));
      }
      Future.all(calls).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (int i = 0; i < 300; i++) {
          assertEquals(List.of("NAME" + i), calls.get(i).result(), "caller " + i + " gets its own result");
        }
        assertTrue(runs.get() < 30, "300 callers in " + runs.get() + " runs");
        assertTrue(maxSeen.get() <= 2, "at most 2 runs in flight, saw " + maxSeen.get());
        ctx.completeNow();
      })));
    });
  }

  /** A gRPC answer to a client that has gone throws in its caller's listener; the batch goes on. */
  @Test
  void aCallerWhoseListenerThrowsDoesNotStopTheRestOfTheBatch(Vertx vertx, VertxTestContext ctx) {
    List<Throwable> reported = new ArrayList<>();
    vertx.exceptionHandler(reported::add);
    vertx.runOnContext(v -> {
      BatchAggregator<String, String> agg = new BatchAggregator<>(vertx, names -> {
        Promise<List<String>> p = Promise.promise();
        vertx.setTimer(3, t -> p.complete(names));
        return p.future();
      }, 1, 64, 1, true);
      agg.submit(List.of("gone")).onSuccess(r -> {
        throw new IllegalStateException("The stream is failed: CANCELLED");
      });
      Future<List<String>> second = agg.submit(List.of("b"));
      Future<List<String>> third = agg.submit(List.of("c"));
      Future.all(second, third).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertEquals(List.of("b"), second.result());
        assertEquals(List.of("c"), third.result());
        assertEquals(1, reported.size(), "the throw went to Vert.x's exception handler");
        assertEquals("The stream is failed: CANCELLED", reported.get(0).getMessage());
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aFailedRunFailsOnlyItsCallers(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      AtomicInteger runs = new AtomicInteger();
      BatchAggregator<String, String> agg = new BatchAggregator<>(vertx, names -> runs.incrementAndGet() == 1
          ? Future.failedFuture("first run fails") : Future.succeededFuture(names), 1, 64, 1, true);
      Future<List<String>> first = agg.submit(List.of("a"));
      first.onComplete(ar -> agg.submit(List.of("b")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertTrue(first.failed());
        assertEquals(List.of("b"), r);
        ctx.completeNow();
      }))));
    });
  }
}
