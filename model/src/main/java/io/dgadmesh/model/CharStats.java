package io.dgadmesh.model;

import java.util.List;

/**
 * Character statistics of a registrable label, the network's second input: cheap evidence the
 * convolutions find hard to count (how surprising the label is to a model of benign names, how
 * mixed its characters are). One class for the trainer and the node, so both compute the same
 * numbers; each is scaled to about [0, 1] here, so the network needs no normalisation layer.
 */
public final class CharStats {

  /** The features in input order; the model's metadata lists the names it was trained with. */
  public static final List<String> FEATURES = List.of(
      "lm_bits_per_char", // mean surprise under the benign character 4-gram model, / 16 bits
      "entropy",          // Shannon entropy of the label's characters, / 6 bits
      "length",           // characters, / 63
      "digit_ratio",
      "vowel_ratio",      // a e i o u y, of all characters
      "consonant_run",    // longest run of consonants, / length
      "word_lm_gain");    // the best gain in bits per char of a word-list DGA family's LM over the benign one, / 16
  /** The features of a model without word-list LMs: the first model with a second input. */
  public static final int BASE = 6;
  /** All the features this build computes. */
  public static final int COUNT = FEATURES.size();
  public static final String NAMES = String.join(",", FEATURES);

  private CharStats() {}

  /** The first {@code count} feature names, as a model's metadata lists them. */
  public static String names(int count) {
    return String.join(",", FEATURES.subList(0, count));
  }

  /**
   * The most length bins a model may take. DGA generators draw their labels' lengths from narrow
   * sets (one family writes exactly 10 characters, another exactly 16 or 20, a third 8 to 20), and
   * the max-pooled convolutions do not see length at all; the scaled {@code length} above leaves the
   * dense layer to carve each exact length out of one number. A one-hot bin per length gives each
   * length its own weight, which is what tells those families apart.
   */
  public static final int MAX_LENGTH_BINS = 64;

  /** Names of {@code bins} length bins: {@code len_1} .. {@code len_<bins-1>}, then {@code len_<bins>+}. */
  public static List<String> lengthBinNames(int bins) {
    List<String> names = new java.util.ArrayList<>(bins);
    for (int i = 1; i < bins; i++) {
      names.add("len_" + i);
    }
    if (bins > 0) {
      names.add("len_" + bins + "+");
    }
    return names;
  }

  /**
   * Writes the one-hot length of {@code label} over {@code bins} bins at {@code out[offset..]}:
   * bin {@code n-1} for a label of n characters, the last bin for every longer one.
   */
  public static void lengthBins(String label, int bins, float[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + bins, 0f);
    if (bins > 0) {
      out[offset + Math.min(Math.max(label.length(), 1), bins) - 1] = 1f;
    }
  }

  /** Writes the {@link #BASE} features of {@code label}, whose LM surprise is {@code lmBitsPerChar}, at {@code out[offset..]}. */
  public static void compute(String label, double lmBitsPerChar, float[] out, int offset) {
    compute(label, lmBitsPerChar, NO_WORD_LMS, out, offset);
  }

  private static final double[] NO_WORD_LMS = {};

  /**
   * Writes the features of {@code label} at {@code out[offset..]}: the {@link #BASE} ones, and
   * {@code word_lm_gain} when {@code wordLmBits} (the label's surprise under each word-list
   * family's LM) is not empty. The gain is how many fewer bits per character the closest
   * word-list family's model needs than the benign one: large for a pair of that family's words.
   */
  public static void compute(String label, double lmBitsPerChar, double[] wordLmBits, float[] out, int offset) {
    int n = label.length();
    int[] freq = new int[128];
    int digits = 0;
    int vowels = 0;
    int run = 0;
    int longestRun = 0;
    for (int i = 0; i < n; i++) {
      char c = label.charAt(i);
      freq[c & 127]++;
      if (c >= '0' && c <= '9') {
        digits++;
        run = 0;
      } else if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') {
        vowels++;
        run = 0;
      } else if (c >= 'a' && c <= 'z') {
        longestRun = Math.max(longestRun, ++run);
      } else {
        run = 0;
      }
    }
    double entropy = 0;
    if (n > 0) {
      for (int f : freq) {
        if (f > 0) {
          double p = (double) f / n;
          entropy -= p * Math.log(p);
        }
      }
      entropy /= Math.log(2);
    }
    double len = Math.max(1, n);
    out[offset] = (float) (lmBitsPerChar / 16.0);
    out[offset + 1] = (float) (entropy / 6.0);
    out[offset + 2] = (float) (Math.min(n, 63) / 63.0);
    out[offset + 3] = (float) (digits / len);
    out[offset + 4] = (float) (vowels / len);
    out[offset + 5] = (float) (longestRun / len);
    if (wordLmBits.length > 0) {
      double gain = Double.NEGATIVE_INFINITY;
      for (double w : wordLmBits) {
        gain = Math.max(gain, lmBitsPerChar - w);
      }
      out[offset + BASE] = (float) (gain / 16.0);
    }
  }

  /** The {@link #BASE} features of {@code label} under {@code lm}, as a new array. */
  public static float[] of(String label, CharLm lm) {
    float[] out = new float[BASE];
    compute(label, lm.bitsPerChar(label), out, 0);
    return out;
  }
}
