package io.dgadmesh.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How many calls the soak's open loop has sent by a given time, with and without a ramp. */
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
}
