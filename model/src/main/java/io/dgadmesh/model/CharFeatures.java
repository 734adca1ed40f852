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
  private final int count;

  /** {@code wordLms}: family name to its LM, in the order the model records them; empty: the {@link CharStats#BASE} features. */
  public CharFeatures(CharLm benign, Map<String, CharLm> wordLms) {
    this.benign = benign;
    this.wordLms = new LinkedHashMap<>(wordLms);
    this.count = wordLms.isEmpty() ? CharStats.BASE : CharStats.COUNT;
  }

  /** Features per name: the second input's width. */
  public int count() {
    return count;
  }

  public List<String> wordFamilies() {
    return List.copyOf(wordLms.keySet());
  }

  /** Writes the features of a registrable label at {@code out[offset..]}. */
  public void compute(String label, float[] out, int offset) {
    if (wordLms.isEmpty()) {
      CharStats.compute(label, benign.bitsPerChar(label), out, offset);
    } else {
      CharStats.compute(label, benign.bitsPerChar(label), wordBits(label), out, offset);
    }
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

  /** What the model's metadata records: the feature names, every table and its hash. */
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelSpec.KEY_CHAR_STATS, CharStats.names(count));
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
    boolean base = CharStats.names(CharStats.BASE).equals(names);
    if (!base && !CharStats.NAMES.equals(names)) {
      throw new IllegalArgumentException("the model takes the character statistics [" + names + "], but this build"
          + " computes [" + CharStats.NAMES + "] or its first " + CharStats.BASE);
    }
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
    return new CharFeatures(benign, words);
  }

  private static String table(Map<String, String> meta, String key) {
    String t = meta.get(key);
    if (t == null || t.isEmpty()) {
      throw new IllegalArgumentException("the model takes character statistics but carries no table under " + key);
    }
    return t;
  }
}
