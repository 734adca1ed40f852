package io.dgadmesh.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What computes a model's second input: the benign character LM, and the character LMs of the
 * word-list DGA families the model was trained to recognise, with the {@link CharStats} they feed.
 * A model records which features it takes; this class reads them, and their tables with their
 * hashes, from the model's metadata, and writes them there (trainer).
 */
public final class CharFeatures {

  /** Each table takes 38^4 bytes (2 MB) of heap once decoded: a model may not ask for more. */
  public static final int MAX_WORD_LMS = 16;

  private final CharLm benign;
  private final Map<String, CharLm> wordLms;
  private final int statsCount;
  private final int lengthBins;

  /** {@code wordLms}: family name to its LM, in the order the model records them; empty: the {@link CharStats#BASE} features. */
  public CharFeatures(CharLm benign, Map<String, CharLm> wordLms) {
    this(benign, wordLms, 0);
  }

  /** As above, followed by {@code lengthBins} one-hot length bins ({@link CharStats#lengthBins}); 0: none. */
  public CharFeatures(CharLm benign, Map<String, CharLm> wordLms, int lengthBins) {
    if (lengthBins < 0 || lengthBins > CharStats.MAX_LENGTH_BINS) {
      throw new IllegalArgumentException("length bins must be 0 to " + CharStats.MAX_LENGTH_BINS + ": " + lengthBins);
    }
    this.benign = benign;
    this.wordLms = new LinkedHashMap<>(wordLms);
    this.statsCount = wordLms.isEmpty() ? CharStats.BASE : CharStats.COUNT;
    this.lengthBins = lengthBins;
  }

  /** Features per name: the second input's width. */
  public int count() {
    return statsCount + lengthBins;
  }

  /** One-hot length bins after the statistics; 0: none. */
  public int lengthBins() {
    return lengthBins;
  }

  public List<String> wordFamilies() {
    return List.copyOf(wordLms.keySet());
  }

  /** Writes the features of a registrable label at {@code out[offset..]}. */
  public void compute(String label, float[] out, int offset) {
    compute(label, benign.bitsPerChar(label), wordLms.isEmpty() ? NO_WORD_BITS : wordBits(label), out, offset);
  }

  private static final double[] NO_WORD_BITS = {};

  /**
   * Writes the features of {@code label} given its surprise under the benign LM and under each
   * word-list LM: the one place both the node's path and the trainer's leave-one-out scores
   * become the network's input.
   */
  public void compute(String label, double benignBits, double[] wordBits, float[] out, int offset) {
    CharStats.compute(label, benignBits, wordBits, out, offset);
    CharStats.lengthBins(label, lengthBins, out, offset + statsCount);
  }

  /** The label's surprise under each word-list family's LM, in the recorded order. */
  private double[] wordBits(String label) {
    double[] bits = new double[wordLms.size()];
    int i = 0;
    for (CharLm lm : wordLms.values()) {
      bits[i++] = lm.bitsPerChar(label);
    }
    return bits;
  }

  /** The feature names in input order, as the model's metadata lists them. */
  public List<String> names() {
    List<String> names = new ArrayList<>(CharStats.FEATURES.subList(0, statsCount));
    names.addAll(CharStats.lengthBinNames(lengthBins));
    return names;
  }

  /** What the model's metadata records: the feature names, every table and its hash. */
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelSpec.KEY_CHAR_STATS, String.join(",", names()));
    m.put(ModelSpec.KEY_CHAR_LM, benign.encode());
    m.put(ModelSpec.KEY_CHAR_LM_HASH, benign.sha256());
    if (!wordLms.isEmpty()) {
      m.put(ModelSpec.KEY_WORD_LMS, String.join(",", wordLms.keySet()));
      wordLms.forEach((family, lm) -> {
        m.put(ModelSpec.KEY_WORD_LM + family, lm.encode());
        m.put(ModelSpec.KEY_WORD_LM + family + "_sha256", lm.sha256());
      });
    }
    return m;
  }

  /**
   * The features a model takes, from its metadata; null when it takes none. Refuses, with the
   * reason, features this build does not compute and tables that are missing, damaged or not the
   * ones the model was trained with.
   */
  public static CharFeatures fromMetadata(Map<String, String> meta) {
    String names = meta.getOrDefault(ModelSpec.KEY_CHAR_STATS, "");
    if (names.isEmpty()) {
      return null;
    }
    List<String> listed = List.of(names.split(",", -1));
    int stats = listed.size() > CharStats.BASE && listed.get(CharStats.BASE).equals(CharStats.FEATURES.get(CharStats.BASE))
        ? CharStats.COUNT : CharStats.BASE;
    int bins = listed.size() - stats;
    boolean known = bins >= 0 && bins <= CharStats.MAX_LENGTH_BINS
        && listed.subList(0, stats).equals(CharStats.FEATURES.subList(0, stats))
        && listed.subList(stats, listed.size()).equals(CharStats.lengthBinNames(bins));
    if (!known) {
      throw new IllegalArgumentException("the model takes the character statistics [" + names + "], but this build"
          + " computes [" + CharStats.NAMES + "] or its first " + CharStats.BASE + ", each followed by up to "
          + CharStats.MAX_LENGTH_BINS + " length bins (len_1,...,len_N+)");
    }
    boolean base = stats == CharStats.BASE;
    CharLm benign = CharLm.decode(table(meta, ModelSpec.KEY_CHAR_LM), meta.get(ModelSpec.KEY_CHAR_LM_HASH));
    Map<String, CharLm> words = new LinkedHashMap<>();
    if (!base) {
      List<String> families = new ArrayList<>();
      for (String f : meta.getOrDefault(ModelSpec.KEY_WORD_LMS, "").split(",")) {
        if (!f.isBlank()) {
          families.add(f.trim());
        }
      }
      if (families.size() > MAX_WORD_LMS) {
        throw new IllegalArgumentException("the model carries " + families.size() + " word-list LMs; this build"
            + " loads at most " + MAX_WORD_LMS);
      }
      if (families.isEmpty()) {
        throw new IllegalArgumentException("the model takes word_lm_gain but names no word-list LMs ("
            + ModelSpec.KEY_WORD_LMS + ")");
      }
      for (String f : families) {
        String key = ModelSpec.KEY_WORD_LM + f;
        words.put(f, CharLm.decode(table(meta, key), meta.get(key + "_sha256")));
      }
    }
    return new CharFeatures(benign, words, bins);
  }

  private static String table(Map<String, String> meta, String key) {
    String t = meta.get(key);
    if (t == null || t.isEmpty()) {
      throw new IllegalArgumentException("the model takes character statistics but carries no table under " + key);
    }
    return t;
  }
}
