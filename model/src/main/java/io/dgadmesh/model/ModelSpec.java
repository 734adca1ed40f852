package io.dgadmesh.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the serving side needs to feed and read the network, as carried in the ONNX
 * file's {@code metadata_props}. The trainer writes these keys; nothing is duplicated by hand.
 */
public record ModelSpec(
    String version,
    String vocabulary,
    int maxLen,
    int tailPad,
    InputUnit inputUnit,
    List<String> families,
    float threshold,
    String dataHash,
    Map<String, String> extra) {

  public static final String KEY_VERSION = "dgad.model_version";
  public static final String KEY_VOCAB = "dgad.vocab";
  public static final String KEY_SPECIAL = "dgad.special_tokens";
  public static final String KEY_MAX_LEN = "dgad.max_len";
  public static final String KEY_TAIL_PAD = "dgad.tail_pad";
  public static final String KEY_INPUT_UNIT = "dgad.input_unit";
  public static final String KEY_FAMILIES = "dgad.families";
  public static final String KEY_THRESHOLD = "dgad.threshold";
  public static final String KEY_DATA_HASH = "dgad.training_data_sha256";
  /** SHA-256 of the suffix rules the model was trained with ({@link SuffixList#sha256}). */
  public static final String KEY_PSL_HASH = "dgad.psl_sha256";
  /** Names of the second input's features, in order ({@link CharStats#NAMES}); absent: no second input. */
  public static final String KEY_CHAR_STATS = "dgad.char_stats";
  /** The benign character LM's table ({@link CharLm#encode}) and its SHA-256. */
  public static final String KEY_CHAR_LM = "dgad.char_lm";
  public static final String KEY_CHAR_LM_HASH = "dgad.char_lm_sha256";
  /**
   * The word-list DGA families whose character LMs the model carries, comma-separated; each
   * table under {@code KEY_WORD_LM + family} and its SHA-256 under that key plus {@code _sha256}.
   */
  public static final String KEY_WORD_LMS = "dgad.word_lms";
  public static final String KEY_WORD_LM = "dgad.word_lm.";
  /** Named thresholds, {@code strict=0.99,balanced=0.95}; {@link #KEY_THRESHOLD} is the default one's. */
  public static final String KEY_OPERATING_POINTS = "dgad.operating_points";
  /** The operating point a node uses unless told otherwise. */
  public static final String DEFAULT_POINT = "balanced";

  /** Token ids below the vocabulary: padding, unknown character, begin and end of name. */
  public static final int PAD = 0;
  public static final int UNK = 1;
  public static final int BOS = 2;
  public static final int EOS = 3;
  public static final int FIRST_CHAR_ID = 4;
  public static final String SPECIAL_TOKENS = "pad=0,unk=1,bos=2,eos=3,chars_from=4";

  /** Characters of normalised host names, in id order from {@link #FIRST_CHAR_ID}. */
  public static final String DEFAULT_VOCABULARY = "abcdefghijklmnopqrstuvwxyz0123456789-.";

  public ModelSpec {
    families = List.copyOf(families);
    extra = Collections.unmodifiableMap(new TreeMap<>(extra));
  }

  public int vocabularySize() {
    return FIRST_CHAR_ID + vocabulary.length();
  }

  /** Longest unit string that fits between BOS and EOS. */
  public int maxChars() {
    return maxLen - 2;
  }

  public Map<String, String> toMetadata() {
    Map<String, String> m = new TreeMap<>(extra);
    m.put(KEY_VERSION, version);
    m.put(KEY_VOCAB, vocabulary);
    m.put(KEY_SPECIAL, SPECIAL_TOKENS);
    m.put(KEY_MAX_LEN, Integer.toString(maxLen));
    m.put(KEY_TAIL_PAD, Integer.toString(tailPad));
    m.put(KEY_INPUT_UNIT, inputUnit.id());
    m.put(KEY_FAMILIES, String.join(",", families));
    m.put(KEY_THRESHOLD, Float.toString(threshold));
    m.put(KEY_DATA_HASH, dataHash);
    return m;
  }

  public static ModelSpec fromMetadata(Map<String, String> m) {
    Map<String, String> extra = new TreeMap<>(m);
    for (String k : List.of(KEY_VERSION, KEY_VOCAB, KEY_SPECIAL, KEY_MAX_LEN, KEY_TAIL_PAD,
        KEY_INPUT_UNIT, KEY_FAMILIES, KEY_THRESHOLD, KEY_DATA_HASH)) {
      extra.remove(k);
    }
    return new ModelSpec(
        require(m, KEY_VERSION),
        require(m, KEY_VOCAB),
        Integer.parseInt(require(m, KEY_MAX_LEN)),
        Integer.parseInt(require(m, KEY_TAIL_PAD)),
        InputUnit.fromId(require(m, KEY_INPUT_UNIT)),
        Arrays.asList(require(m, KEY_FAMILIES).split(",")),
        Float.parseFloat(require(m, KEY_THRESHOLD)),
        m.getOrDefault(KEY_DATA_HASH, ""),
        extra);
  }

  private static String require(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("model metadata lacks '" + key + "': not a dgad-mesh model");
    }
    return v;
  }

  /** The suffix list's hash the model was trained with; empty for models that predate it. */
  public String pslHash() {
    return extra.getOrDefault(KEY_PSL_HASH, "");
  }

  /** Whether the network takes {@link CharStats} as its second input. */
  public boolean hasCharStats() {
    return !extra.getOrDefault(KEY_CHAR_STATS, "").isEmpty();
  }

  /**
   * The named thresholds, in the order the file gives them. A model without them has one point,
   * {@value #DEFAULT_POINT}, at its threshold.
   */
  public Map<String, Float> operatingPoints() {
    Map<String, Float> points = new java.util.LinkedHashMap<>();
    String listed = extra.getOrDefault(KEY_OPERATING_POINTS, "");
    for (String entry : listed.split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        points.put(entry.substring(0, eq).strip(), Float.parseFloat(entry.substring(eq + 1).strip()));
      }
    }
    if (points.isEmpty()) {
      points.put(DEFAULT_POINT, threshold);
    }
    return Collections.unmodifiableMap(points);
  }

  /** The metadata value of {@link #KEY_OPERATING_POINTS} for these points. */
  public static String operatingPointsValue(Map<String, Float> points) {
    StringBuilder b = new StringBuilder();
    points.forEach((name, t) -> b.append(b.length() == 0 ? "" : ",").append(name).append('=').append(t));
    return b.toString();
  }

  public ModelSpec withThreshold(float t) {
    return new ModelSpec(version, vocabulary, maxLen, tailPad, inputUnit, families, t, dataHash, extra);
  }

  public ModelSpec withExtra(Map<String, String> more) {
    Map<String, String> e = new TreeMap<>(extra);
    e.putAll(more);
    return new ModelSpec(version, vocabulary, maxLen, tailPad, inputUnit, families, threshold, dataHash, e);
  }
}
