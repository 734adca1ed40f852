package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistinctCounterTest {

  @Test
  void exactUpToItsCapacityWhateverTheRepeats() {
    DistinctCounter c = new DistinctCounter(128);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 128; i++) {
        assertEquals(round == 0, c.add("name" + i + ".example.com"));
      }
    }
    assertEquals(128, c.count());
    assertFalse(c.saturated());
    assertEquals(128, c.hashes().length);
  }

  @Test
  void estimatesBeyondItsCapacityInBoundedMemory() {
    for (int n : new int[] {1_000, 20_000, 300_000}) {
      DistinctCounter c = new DistinctCounter(128);
      for (int i = 0; i < n; i++) {
        c.add("host-" + i + ".example.net");
        c.add("host-" + (i / 2) + ".example.net"); // repeats never count
      }
      assertTrue(c.saturated());
      assertEquals(128, c.hashes().length);
      // Relative standard error about 1/sqrt(126): 0.09; four of those is far out.
      assertEquals(n, c.count(), n * 0.36, "estimate for " + n);
    }
  }

  @Test
  void onceSaturatedNewnessIsNoLongerClaimed() {
    DistinctCounter c = new DistinctCounter(4);
    for (int i = 0; i < 4; i++) {
      assertTrue(c.add("n" + i));
    }
    for (int i = 4; i < 50; i++) {
      assertFalse(c.add("n" + i));
    }
  }

  @Test
  void restoredCounterContinuesAsTheOriginal() {
    DistinctCounter a = new DistinctCounter(16);
    for (int i = 0; i < 40; i++) {
      a.add("a" + i);
    }
    DistinctCounter b = DistinctCounter.of(16, a.hashes(), a.saturated());
    assertEquals(a.count(), b.count());
    for (int i = 40; i < 60; i++) {
      a.add("a" + i);
      b.add("a" + i);
    }
    assertArrayEquals(a.hashes(), b.hashes());
    assertEquals(a.count(), b.count());
  }

  @Test
  void refusesWhatCannotBeASketch() {
    assertThrows(IllegalArgumentException.class, () -> new DistinctCounter(2));
    assertThrows(IllegalArgumentException.class, () -> DistinctCounter.of(8, new long[] {-5}, false));
  }

  @Test
  void hashSpreadsSimilarNames() {
    // Names one letter apart land far apart (KMV needs uniform hashes).
    long a = DistinctCounter.hash("abcdefgh.com");
    long b = DistinctCounter.hash("abcdefgi.com");
    assertTrue(Long.bitCount(a ^ b) > 16, Long.toHexString(a ^ b));
    assertTrue(a >= 0 && b >= 0);
  }
}
