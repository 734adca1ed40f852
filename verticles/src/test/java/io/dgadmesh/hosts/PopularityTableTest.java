package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PopularityTableTest {

  @Test
  void countsDistinctHostsUpToItsBound() {
    PopularityTable t = new PopularityTable(4, 1_000);
    t.record("a.com", 1);
    t.record("a.com", 1);
    t.record("a.com", 2);
    assertEquals(2, t.hosts("a.com"));
    t.record("a.com", 3);
    t.record("a.com", 4);
    t.record("a.com", 5);
    assertEquals(4, t.hosts("a.com"));
    assertEquals(0, t.hosts("never.com"));
  }

  @Test
  void growsWithoutLosingCounts() {
    PopularityTable t = new PopularityTable(4, 100_000);
    for (int i = 0; i < 50_000; i++) {
      t.record("d" + i + ".com", i % 7);
      t.record("d" + i + ".com", (i + 1) % 7);
    }
    assertEquals(50_000, t.size());
    for (int i = 0; i < 50_000; i += 997) {
      assertEquals(2, t.hosts("d" + i + ".com"));
    }
  }

  @Test
  void aFullTableSaysUnknownRatherThanRare() {
    PopularityTable t = new PopularityTable(4, 10);
    for (int i = 0; i < 10; i++) {
      t.record("d" + i + ".com", 1);
    }
    assertEquals(0, t.overflow());
    assertEquals(0, t.hosts("new.com"));
    t.record("new.com", 1);
    assertEquals(1, t.overflow());
    assertEquals(Popularity.UNKNOWN, t.hosts("new.com"));
    assertEquals(1, t.hosts("d3.com"));
  }

  @Test
  void refusesNonsenseBounds() {
    assertThrows(IllegalArgumentException.class, () -> new PopularityTable(1, 10));
    assertThrows(IllegalArgumentException.class, () -> new PopularityTable(4, 0));
  }
}
