package io.dgadmesh.ingest;

import java.util.Arrays;

/**
 * Turns byte slices that repeat (query types, response codes, client addresses) into one shared
 * String each, so a hot parser does not allocate a new String per line for them. Bounded: once
 * full it keeps what it has and simply allocates for new values.
 */
final class Interner {
  private final int max;
  private final byte[][] keys;
  private final String[] values;
  private final int mask;
  private int size;

  Interner(int maxEntries) {
    this.max = maxEntries;
    int capacity = Integer.highestOneBit(Math.max(4, maxEntries * 2) - 1) << 1;
    this.keys = new byte[capacity][];
    this.values = new String[capacity];
    this.mask = capacity - 1;
  }

  String get(byte[] b, int off, int len) {
    int h = 1;
    for (int i = off, end = off + len; i < end; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & mask;
    while (true) {
      byte[] key = keys[slot];
      if (key == null) {
        String value = Text.string(b, off, len);
        if (size < max) {
          keys[slot] = Arrays.copyOfRange(b, off, off + len);
          values[slot] = value;
          size++;
        }
        return value;
      }
      if (Arrays.equals(key, 0, key.length, b, off, off + len)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
  }
}
