package io.dgadmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  /** A runner whose runs the test completes by hand, one promise per run. */
  private static BatchAggregator<String, String> held(Vertx vertx, List<Promise<List<String>>> runs) {
    return new BatchAggregator<String, String>(vertx, names -> {
      Promise<List<String>> p = Promise.promise();
      runs.add(p);
      return p.future().map(names);
    }, 1, 64, 1, true).limitQueued(10);
  }

  @Test
  void pastTheLimitARequestIsRefusedAtOnceButOneFindingTheQueueEmptyIsTaken(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      List<Promise<List<String>>> runs = new ArrayList<>();
      BatchAggregator<String, String> agg = held(vertx, runs);
      Future<List<String>> first = agg.submit(List.of("a"));
      vertx.setTimer(5, t -> { // the first request is running
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          big.add("n" + i);
        }
        Future<List<String>> large = agg.submit(big); // nothing waits: taken, whatever its size
        Future<List<String>> over = agg.submit(List.of("b"));
        ctx.verify(() -> {
          assertTrue(over.failed(), "refused at once");
          BatchAggregator.Full full = (BatchAggregator.Full) over.cause();
          assertEquals(50, full.queued());
          assertEquals(10, full.limit());
          assertEquals(1, agg.refused());
        });
        runs.get(0).complete(List.of()); // the next batch, the large request, starts at once
        runs.get(1).complete(List.of());
        Future.all(first, large).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(big, large.result());
          ctx.completeNow();
        })));
      });
    });
  }

  @Test
  void requestsWhoseDeadlinePassedAreDroppedUnrunAndFreeTheQueue(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      List<Promise<List<String>>> runs = new ArrayList<>();
      BatchAggregator<String, String> agg = held(vertx, runs);
      agg.submit(List.of("running"));
      List<String> ten = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
      vertx.setTimer(5, t0 -> { // the first request is running
        Future<List<String>> late = agg.submit(ten, System.nanoTime() + 2_000_000); // its caller waits 2 ms
        vertx.setTimer(20, t -> {
          Future<List<String>> next = agg.submit(List.of("x")); // the queue is full of a request nobody waits for
          ctx.verify(() -> {
            assertTrue(late.failed() && late.cause() instanceof BatchAggregator.Expired, "dropped: " + late);
            assertEquals(10, agg.expired());
            assertEquals(0, agg.refused());
          });
          runs.get(0).complete(List.of()); // the next batch starts at once: "x" alone
          ctx.verify(() -> assertEquals(2, runs.size(), "the expired request never ran"));
          runs.get(1).complete(List.of());
          next.onComplete(ctx.succeeding(r -> ctx.verify(() -> {
            assertEquals(List.of("x"), r);
            ctx.completeNow();
          })));
        });
      });
    });
  }

  @Test
  void closeFailsWhatWaitsAndCompletesOnceTheRunningBatchReturns(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      List<Promise<List<String>>> runs = new ArrayList<>();
      BatchAggregator<String, String> agg = held(vertx, runs);
      Future<List<String>> running = agg.submit(List.of("a"));
      vertx.setTimer(5, t -> {
        Future<List<String>> waiting = agg.submit(List.of("b"));
        Future<Void> idle = agg.close("stopping");
        Future<List<String>> after = agg.submit(List.of("c"));
        ctx.verify(() -> {
          assertTrue(waiting.failed() && waiting.cause() instanceof BatchAggregator.Closed);
          assertEquals("stopping", waiting.cause().getMessage());
          assertTrue(after.failed() && after.cause() instanceof BatchAggregator.Closed);
          assertFalse(idle.isComplete(), "a batch still runs");
        });
        runs.get(0).complete(List.of());
        idle.onComplete(ctx.succeeding(x -> ctx.verify(() -> {
          assertEquals(List.of("a"), running.result(), "the running batch's caller is answered");
          assertEquals(1, runs.size());
          ctx.completeNow();
        })));
      });
    });
  }
}
