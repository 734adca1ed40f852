package io.dgadmesh.model;

import java.util.Arrays;
import java.util.List;

/**
 * Encodes host names into the network's int64 character ids, as the model's metadata says.
 * A batch is padded only to its longest name (plus the tail the widest convolution needs), so
 * short names cost little; the network masks padding, so the result does not depend on it.
 */
public final class CharEncoder {

  private final ModelSpec spec;
  private final byte[] ids = new byte[128];

  public CharEncoder(ModelSpec spec) {
    this.spec = spec;
    Arrays.fill(ids, (byte) ModelSpec.UNK);
    String v = spec.vocabulary();
    for (int i = 0; i < v.length(); i++) {
      ids[v.charAt(i)] = (byte) (ModelSpec.FIRST_CHAR_ID + i);
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The unit string the network reads for a normalised host. */
  public String unitOf(String host) {
    return spec.inputUnit().extract(host, spec.maxChars());
  }

  /** A batch of ids, row-major [rows, width]. */
  public record Batch(long[] ids, int rows, int width) {}

  public Batch encodeUnits(List<String> units) {
    int longest = 0;
    for (String u : units) {
      longest = Math.max(longest, Math.min(u.length(), spec.maxChars()));
    }
    int width = longest + 2 + spec.tailPad();
    long[] out = new long[units.size() * width];
    for (int r = 0; r < units.size(); r++) {
      encodeInto(units.get(r), out, r * width);
    }
    return new Batch(out, units.size(), width);
  }

  private void encodeInto(String unit, long[] out, int offset) {
    int n = Math.min(unit.length(), spec.maxChars());
    out[offset] = ModelSpec.BOS;
    for (int i = 0; i < n; i++) {
      char c = unit.charAt(i);
      out[offset + 1 + i] = c < 128 ? ids[c] : ModelSpec.UNK;
    }
    out[offset + 1 + n] = ModelSpec.EOS;
  }
}
