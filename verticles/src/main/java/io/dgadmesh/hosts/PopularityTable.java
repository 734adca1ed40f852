package io.dgadmesh.hosts;

import java.util.Arrays;

/**
 * Offline {@link Popularity}: for each registrable domain, the distinct hosts that queried it,
 * counted exactly up to {@code countUpTo} (beyond, it reports {@code countUpTo}: the host score
 * only needs to know "this many or more"). A unit costs 64 bits of hash and a few host numbers,
 * not its text, in an open-addressing table that grows to at most {@code maxUnits} units. Once full,
 * new units are not recorded ({@link #overflow()} counts them) and every unit it does not know is
 * reported {@link #UNKNOWN} rather than unqueried, so a full table never makes a name look rare.
 * Not thread-safe: one aggregator fills it.
 */
public final class PopularityTable implements Popularity {

  private static final long EMPTY = -1L;

  private final int countUpTo;
  private final int maxUnits;
  private long[] keys;
  /** countUpTo - 1 host numbers per slot: enough to tell the countUpTo-th distinct host. */
  private int[] seenHosts;
  private byte[] counts;
  private int size;
  private long overflow;

  public PopularityTable(int countUpTo, int maxUnits) {
    if (countUpTo < 2 || countUpTo > 100) {
      throw new IllegalArgumentException("countUpTo must be 2..100, got " + countUpTo);
    }
    if (maxUnits < 1) {
      throw new IllegalArgumentException("maxUnits must be positive, got " + maxUnits);
    }
    this.countUpTo = countUpTo;
    this.maxUnits = maxUnits;
    allocate(1024);
  }

  private void allocate(int slots) {
    keys = new long[slots];
    Arrays.fill(keys, EMPTY);
    seenHosts = new int[slots * (countUpTo - 1)];
    counts = new byte[slots];
  }

  /** Records that {@code host} (a number the caller gives each host) queried {@code unit}. */
  public void record(String unit, int host) {
    record(DistinctCounter.hash(unit), host);
  }

  /** {@link #record(String, int)} for a unit already hashed with {@link DistinctCounter#hash}. */
  public void record(long key, int host) {
    int slot = find(key);
    if (keys[slot] == EMPTY) {
      if (size >= maxUnits) {
        overflow++;
        return;
      }
      if ((size + 1) * 10L > keys.length * 6L) {
        grow();
        slot = find(key);
      }
      keys[slot] = key;
      size++;
    }
    int c = counts[slot];
    if (c >= countUpTo) {
      return;
    }
    int base = slot * (countUpTo - 1);
    for (int i = 0; i < c; i++) {
      if (seenHosts[base + i] == host) {
        return;
      }
    }
    if (c < countUpTo - 1) {
      seenHosts[base + c] = host;
    }
    counts[slot] = (byte) (c + 1);
  }

  @Override
  public int hosts(String unit) {
    int slot = find(DistinctCounter.hash(unit));
    if (keys[slot] == EMPTY) {
      return overflow > 0 ? UNKNOWN : 0;
    }
    return counts[slot];
  }

  private int find(long key) {
    int mask = keys.length - 1;
    int slot = (int) (key ^ (key >>> 32)) & mask;
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldHosts = seenHosts;
    byte[] oldCounts = counts;
    allocate(oldKeys.length * 2);
    int per = countUpTo - 1;
    for (int s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] != EMPTY) {
        int slot = find(oldKeys[s]);
        keys[slot] = oldKeys[s];
        counts[slot] = oldCounts[s];
        System.arraycopy(oldHosts, s * per, seenHosts, slot * per, per);
      }
    }
  }

  /** Units recorded. */
  public int size() {
    return size;
  }

  /** Queries for units that found the table full and were not recorded. */
  public long overflow() {
    return overflow;
  }
}
