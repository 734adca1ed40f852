package io.dgadmesh.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The soak's host names, made from a number so that none is held: half word-like, half random
 * letters (DGA-like). Each Redis name is unique: a name added again after it was answered would be
 * answered again, which the soak must only see when the node does it. The other doors reuse a
 * pool: they keep nothing in Redis.
 */
final class SoakNames {
  private static final int POOL = 20_000;
  private static final List<String> POOL_NAMES = pool();

  private SoakNames() {}

  /** Redis name {@code i}: its first six letters spell i, so no two are alike. */
  static String redis(long i) {
    String id = base26(i);
    if (i % 2 == 0) {
      return "soak" + id + ".example" + (i % 7) + ".com";
    }
    return id + letters(new Random(i), 6 + (int) (i % 9)) + ".net";
  }

  static List<String> redis(long from, long to) {
    List<String> out = new ArrayList<>((int) (to - from));
    for (long i = from; i < to; i++) {
      out.add(redis(i));
    }
    return out;
  }

  /** {@code n} names of the pool, from call number {@code seq} on. */
  static List<String> pooled(long seq, int n) {
    List<String> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(POOL_NAMES.get((int) ((seq * n + k) % POOL)));
    }
    return out;
  }

  private static List<String> pool() {
    List<String> out = new ArrayList<>(POOL);
    Random r = new Random(42);
    for (int i = 0; i < POOL; i++) {
      out.add(i % 2 == 0 ? "shop" + i + ".example" + (i % 7) + ".com" : letters(r, 8 + r.nextInt(12)) + ".net");
    }
    return out;
  }

  /** {@code i} in six or more letters, a..z. */
  private static String base26(long i) {
    StringBuilder b = new StringBuilder();
    long v = i;
    for (int k = 0; k < 6 || v > 0; k++) {
      b.append((char) ('a' + v % 26));
      v /= 26;
    }
    return b.toString();
  }

  private static String letters(Random r, int n) {
    char[] c = new char[n];
    for (int k = 0; k < n; k++) {
      c[k] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }
}
