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
  private final SuffixList suffixes;
  private final CharFeatures features;
  private final byte[] ids = new byte[128];

  /** An encoder of ids only, with the bundled suffix list (models without a second input). */
  public CharEncoder(ModelSpec spec) {
    this(spec, SuffixList.bundled(), null);
  }

  /** {@code features}: what computes the second input when the model takes {@link CharStats}, else null. */
  public CharEncoder(ModelSpec spec, SuffixList suffixes, CharFeatures features) {
    this.spec = spec;
    this.suffixes = suffixes;
    this.features = features;
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
    return spec.inputUnit().extract(host, spec.maxChars(), suffixes);
  }

  /** The registrable label inside a unit string: what {@link CharStats} describe. */
  public String labelOfUnit(String unit) {
    return switch (spec.inputUnit()) {
      case LABEL -> unit;
      case REGISTRABLE_DOMAIN -> {
        int dot = unit.indexOf('.');
        yield dot < 0 ? unit : unit.substring(0, dot);
      }
      case FQDN -> suffixes.split(unit).label();
    };
  }

  public SuffixList suffixes() {
    return suffixes;
  }

  /** What computes the second input of a model that takes one, else null. */
  public CharFeatures features() {
    return features;
  }

  /**
   * A batch of ids, row-major [rows, width], and, for a model that takes them, the rows'
   * {@link CharStats} row-major [rows, statsWidth] (else null and 0).
   */
  public record Batch(long[] ids, int rows, int width, float[] stats, int statsWidth) {}

  public Batch encodeUnits(List<String> units) {
    int longest = 0;
    for (String u : units) {
      longest = Math.max(longest, Math.min(u.length(), spec.maxChars()));
    }
    int width = longest + 2 + spec.tailPad();
    long[] out = new long[units.size() * width];
    int statsWidth = features == null ? 0 : features.count();
    float[] stats = features == null ? null : new float[units.size() * statsWidth];
    for (int r = 0; r < units.size(); r++) {
      encodeInto(units.get(r), out, r * width);
      if (stats != null) {
        features.compute(labelOfUnit(units.get(r)), stats, r * statsWidth);
      }
    }
    return new Batch(out, units.size(), width, stats, statsWidth);
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
