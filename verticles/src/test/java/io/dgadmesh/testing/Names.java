package io.dgadmesh.testing;

import java.util.Random;

/** Test inputs: random letter strings are what DGA names look like to the model. */
public final class Names {
  private Names() {}

  public static String randomDga(int letters, long seed) {
    Random r = new Random(seed * 7919 + letters);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < letters; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.append(".com").toString();
  }
}
