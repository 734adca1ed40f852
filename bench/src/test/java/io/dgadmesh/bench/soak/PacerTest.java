package io.dgadmesh.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.Poll;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How many calls the soak's open loop has sent by a given time, with and without a ramp, and how
 * it dates the calls its backlog refuses.
 */
class PacerTest {

  @Test
  void withoutARampTheRateHoldsFromTheStart() {
    assertEquals(0, Pacer.due(0, 100, 0));
    assertEquals(100, Pacer.due(1, 100, 0));
    assertEquals(6_000, Pacer.due(60, 100, 0));
  }

  @Test
  void aRampSendsHalfTheCallsOfItsLengthThenHoldsTheRate() {
    assertEquals(0, Pacer.due(0, 100, 30));
    assertEquals(375, Pacer.due(15, 100, 30), "a quarter of full rate's calls by mid-ramp");
    assertEquals(1_500, Pacer.due(30, 100, 30), "half of full rate's calls by the ramp's end");
    assertEquals(1_600, Pacer.due(31, 100, 30), "then the full rate");
  }

  @Test
  void theDefaultRampIsThirtySecondsOrATenthOfAShortSoak() {
    assertEquals(Duration.ofSeconds(30), SoakPlan.of(Duration.ofMinutes(30)).ramp());
    assertEquals(Duration.ofSeconds(4), SoakPlan.of(Duration.ofSeconds(40)).ramp());
  }

  /**
   * Calls refused because the backlog is full count with a restart while the backlog holds calls
   * sent during it, even after the node is ready again; a backlog built after the restart counts
   * outside it.
   */
  @Test
  @Timeout(60)
  void aBacklogLeftByARestartCountsWithItAndALaterOneDoesNot() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RestartWindows windows = new RestartWindows();
      Door door = Door.BATCH;
      DoorMeter meter = new DoorMeter(door, windows);
      List<Promise<Integer>> waiting = new CopyOnWriteArrayList<>();
      Pacer pacer = new Pacer(vertx, meter, 1_000, 0, seq -> {
        Promise<Integer> answer = Promise.promise();
        waiting.add(answer);
        return answer.future();
      });
      windows.open(System.nanoTime()); // the node is down: nothing is answered
      pacer.start();
      Poll.await(20_000, "the backlog full", () -> pacer.inFlight() == door.maxInFlight);
      windows.close(System.nanoTime()); // ready again, with the backlog still waiting
      long atReady = errors(meter);
      Poll.await(20_000, "calls refused after the node was ready", () -> errors(meter) > atReady + 20);
      DoorMeter.Interval total = meter.total();
      assertEquals(total.errors(), total.restartErrors(), "refusals of the restart's backlog: " + meter.examples());

      waiting.forEach(p -> p.tryComplete(door.namesPerCall)); // the backlog drains...
      waiting.clear();
      long drained = errors(meter);
      // ...and a new one builds up, after the restart: its refusals are the node's. (A tick that
      // runs before the answers' callbacks may still refuse a few calls for the old backlog.)
      Poll.await(20_000, "a later backlog's refusals", () -> errors(meter) > drained + 200);
      pacer.stop();
      total = meter.total();
      assertTrue(total.errors() - total.restartErrors() >= 100, "a later backlog counted with the restart: " + total);
      assertTrue(meter.examples().get(0).endsWith("calls still waiting: call not sent"), meter.examples().toString());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Errors so far (the meter's intervals taken, then the whole run's count). */
  private static long errors(DoorMeter meter) {
    meter.take();
    return meter.total().errors();
  }
}
