package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CharFeaturesTest {

  private static CharLm lm(List<String> labels) {
    CharLm.Counts c = new CharLm.Counts();
    labels.forEach(c::add);
    return c.table();
  }

  private static final CharLm BENIGN = lm(List.of("google", "wikipedia", "amazon", "weather", "bankofamerica", "news"));
  private static final CharLm WORDS = lm(List.of("queenplain", "forgetstation", "pleasantmillion", "breaddifference",
      "queenstation", "pleasantplain", "forgetmillion"));

  @Test
  void metadataRoundTripsAndComputesTheSameNumbers() {
    CharFeatures f = new CharFeatures(BENIGN, Map.of("suppobox", WORDS));
    assertEquals(CharStats.COUNT, f.count());
    CharFeatures back = CharFeatures.fromMetadata(f.metadata());
    assertEquals(List.of("suppobox"), back.wordFamilies());
    float[] a = new float[f.count()];
    float[] b = new float[f.count()];
    f.compute("breadplain", a, 0);
    back.compute("breadplain", b, 0);
    assertArrayEquals(a, b);
  }

  /** A pair of the family's words gains over the benign LM; a benign word does not gain as much. */
  @Test
  void theFamilysWordsGainOverTheBenignModel() {
    CharFeatures f = new CharFeatures(BENIGN, Map.of("suppobox", WORDS));
    float[] pair = new float[f.count()];
    float[] benign = new float[f.count()];
    f.compute("breadstation", pair, 0);
    f.compute("weather", benign, 0);
    int gain = CharStats.FEATURES.indexOf("word_lm_gain");
    assertTrue(pair[gain] > 0, "gain " + pair[gain]);
    assertTrue(pair[gain] > benign[gain], pair[gain] + " vs " + benign[gain]);
    // the gain is the benign LM's bits less the family's, scaled like the LM feature
    assertEquals((BENIGN.bitsPerChar("breadstation") - WORDS.bitsPerChar("breadstation")) / 16.0, pair[gain], 1e-6);
  }

  /** Models of the first second-input kind (six features, one LM) still load and compute six. */
  @Test
  void theSixFeaturesOfTheFirstKindStillLoad() {
    CharFeatures f = new CharFeatures(BENIGN, Map.of());
    Map<String, String> meta = f.metadata();
    assertEquals(CharStats.names(CharStats.BASE), meta.get(ModelSpec.KEY_CHAR_STATS));
    CharFeatures back = CharFeatures.fromMetadata(meta);
    assertEquals(CharStats.BASE, back.count());
    float[] out = new float[CharStats.BASE];
    back.compute("weather", out, 0);
    assertArrayEquals(CharStats.of("weather", BENIGN), out);
    assertNull(CharFeatures.fromMetadata(Map.of()));
  }

  @Test
  void missingOrUnknownFeaturesAreRefusedWithTheReason() {
    Map<String, String> noTables = new HashMap<>(new CharFeatures(BENIGN, Map.of("suppobox", WORDS)).metadata());
    noTables.remove(ModelSpec.KEY_WORD_LM + "suppobox");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(noTables));
    assertTrue(e.getMessage().contains(ModelSpec.KEY_WORD_LM + "suppobox"), e.getMessage());

    Map<String, String> noFamilies = new HashMap<>(new CharFeatures(BENIGN, Map.of("suppobox", WORDS)).metadata());
    noFamilies.remove(ModelSpec.KEY_WORD_LMS);
    e = assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(noFamilies));
    assertTrue(e.getMessage().contains("names no word-list LMs"), e.getMessage());

    Map<String, String> tooMany = new HashMap<>(new CharFeatures(BENIGN, Map.of("suppobox", WORDS)).metadata());
    tooMany.put(ModelSpec.KEY_WORD_LMS, String.join(",", java.util.Collections.nCopies(CharFeatures.MAX_WORD_LMS + 1, "suppobox")));
    e = assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(tooMany));
    assertTrue(e.getMessage().contains("at most " + CharFeatures.MAX_WORD_LMS), e.getMessage());

    Map<String, String> unknown = new HashMap<>(new CharFeatures(BENIGN, Map.of()).metadata());
    unknown.put(ModelSpec.KEY_CHAR_STATS, "entropy,tomorrow");
    e = assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(unknown));
    assertTrue(e.getMessage().contains("this build computes"), e.getMessage());
  }

  /** The length bins follow the statistics: one bin set per label, the last one for every longer label. */
  @Test
  void lengthBinsAreOneHotAfterTheStatisticsAndRoundTrip() {
    CharFeatures f = new CharFeatures(BENIGN, Map.of("suppobox", WORDS), 12);
    assertEquals(CharStats.COUNT + 12, f.count());
    float[] out = new float[f.count()];
    f.compute("weather", out, 0);
    float[] stats = new float[CharStats.COUNT];
    new CharFeatures(BENIGN, Map.of("suppobox", WORDS)).compute("weather", stats, 0);
    assertArrayEquals(stats, java.util.Arrays.copyOf(out, CharStats.COUNT), "the statistics are unchanged");
    float[] bins = java.util.Arrays.copyOfRange(out, CharStats.COUNT, out.length);
    float[] seven = new float[12];
    seven[6] = 1f;
    assertArrayEquals(seven, bins, "weather has 7 characters");

    f.compute("bankofamericanews", out, 0);
    assertEquals(1f, out[out.length - 1], "17 characters fall in the last bin, 12+");
    assertEquals(1.0, sum(out, CharStats.COUNT, out.length), 0.0, "one bin set");

    Map<String, String> meta = f.metadata();
    assertTrue(meta.get(ModelSpec.KEY_CHAR_STATS).endsWith(",word_lm_gain,len_1,len_2,len_3,len_4,len_5,len_6,len_7,"
        + "len_8,len_9,len_10,len_11,len_12+"), meta.get(ModelSpec.KEY_CHAR_STATS));
    CharFeatures back = CharFeatures.fromMetadata(meta);
    assertEquals(12, back.lengthBins());
    float[] again = new float[back.count()];
    back.compute("bankofamericanews", again, 0);
    assertArrayEquals(out, again);

    CharFeatures noWords = CharFeatures.fromMetadata(new CharFeatures(BENIGN, Map.of(), 3).metadata());
    assertEquals(CharStats.BASE + 3, noWords.count());
  }

  @Test
  void lengthBinsOutOfOrderOrTooManyAreRefused() {
    Map<String, String> swapped = new HashMap<>(new CharFeatures(BENIGN, Map.of(), 3).metadata());
    swapped.put(ModelSpec.KEY_CHAR_STATS, CharStats.names(CharStats.BASE) + ",len_2,len_1,len_3+");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(swapped));
    assertTrue(e.getMessage().contains("length bins"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CharFeatures(BENIGN, Map.of(), CharStats.MAX_LENGTH_BINS + 1));
    Map<String, String> tooMany = new HashMap<>(new CharFeatures(BENIGN, Map.of(), 3).metadata());
    tooMany.put(ModelSpec.KEY_CHAR_STATS, CharStats.names(CharStats.BASE) + ","
        + String.join(",", CharStats.lengthBinNames(CharStats.MAX_LENGTH_BINS + 1)));
    assertThrows(IllegalArgumentException.class, () -> CharFeatures.fromMetadata(tooMany));
  }

  private static double sum(float[] a, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += a[i];
    }
    return s;
  }
}
