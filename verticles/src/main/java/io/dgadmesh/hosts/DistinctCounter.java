package io.dgadmesh.hosts;

import java.util.Arrays;

/**
 * Counts distinct strings in bounded memory: exact up to {@link #capacity()} distinct values,
 * approximate beyond (a K-minimum-values sketch: it keeps the K smallest 63-bit hashes, and the
 * K-th smallest tells how densely the hash range is filled, so the estimate's relative standard
 * error is about {@code 1/sqrt(K-2)}). Memory grows with use up to {@code K} longs, so a host with
 * three NXDOMAIN names costs three longs, not K.
 *
 * <p>The state is the sorted hash array and a saturation flag, so it can be stored and merged
 * ({@link #hashes()}, {@link #of}); two counters of the same capacity merge exactly as if one had
 * seen both streams.
 */
public final class DistinctCounter {

  private static final long[] NONE = new long[0];

  private final int capacity;
  private long[] hashes = NONE;
  private int size;
  /** True once a value was dropped for lack of room: from then on {@link #count()} estimates. */
  private boolean saturated;

  public DistinctCounter(int capacity) {
    if (capacity < 3) {
      throw new IllegalArgumentException("capacity must be at least 3, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** A counter restored from {@link #hashes()} and {@link #saturated()}. */
  public static DistinctCounter of(int capacity, long[] hashes, boolean saturated) {
    DistinctCounter c = new DistinctCounter(capacity);
    for (long h : hashes) {
      c.addHash(h);
    }
    c.saturated |= saturated;
    return c;
  }

  /**
   * The hash this counter keeps for a value (63 bits, non-negative): FNV-1a over the UTF-16 code
   * units, then MurmurHash3's 64-bit finaliser to spread every input bit over the result. It runs
   * several times per DNS record, so it avoids the UTF-8 encoding a general hasher would do first.
   */
  public static long hash(String value) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      h = (h ^ value.charAt(i)) * 0x100000001b3L;
    }
    h ^= value.length();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h >>> 1;
  }

  /**
   * Adds a value. Returns true when the value is certainly new to the counter: always exact while
   * the counter has not saturated; once saturated it returns false, since a hash that is not kept
   * may have been seen before.
   */
  public boolean add(String value) {
    return addHash(hash(value));
  }

  /** {@link #add} for a value already hashed with {@link #hash}. */
  public boolean addHash(long h) {
    if (h < 0) {
      throw new IllegalArgumentException("hashes are non-negative, got " + h);
    }
    int at = Arrays.binarySearch(hashes, 0, size, h);
    if (at >= 0) {
      return false;
    }
    int insert = -at - 1;
    if (size == capacity) {
      saturated = true;
      if (insert == size) {
        return false;
      }
      size--; // drop the largest kept hash to make room
    } else if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, Math.min(capacity, Math.max(4, size * 2)));
    }
    System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
    hashes[insert] = h;
    size++;
    return !saturated;
  }

  /** Distinct values seen: exact unless {@link #saturated()}, then the sketch's estimate. */
  public long count() {
    if (!saturated) {
      return size;
    }
    // The K-th smallest of n uniform hashes in [0, 2^63) sits near K/n of the range.
    double kth = (hashes[size - 1] + 1.0) / 0x1p63;
    return Math.max(size, Math.round((size - 1) / kth));
  }

  public boolean saturated() {
    return saturated;
  }

  public int capacity() {
    return capacity;
  }

  /** The kept hashes, ascending (a copy). */
  public long[] hashes() {
    return Arrays.copyOf(hashes, size);
  }
}
