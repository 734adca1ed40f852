package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CharLmTest {

  static final List<String> BENIGN = List.of("google", "facebook", "weather", "newspaper", "bankofamerica",
      "shopping", "travelguide", "mailserver", "photography", "musicstore", "greenhouse", "homebase");

  private static CharLm.Counts counts(List<String> labels) {
    CharLm.Counts c = new CharLm.Counts();
    labels.forEach(c::add);
    return c;
  }

  @Test
  void randomLabelsAreMoreSurprisingThanWordyOnes() {
    CharLm lm = counts(BENIGN).table();
    assertTrue(lm.bitsPerChar("xjwqkfzvbnmtrp") > lm.bitsPerChar("travelnews") + 1.0,
        lm.bitsPerChar("xjwqkfzvbnmtrp") + " vs " + lm.bitsPerChar("travelnews"));
  }

  @Test
  void theTableGivesWhatTheCountsGive() {
    CharLm.Counts c = counts(BENIGN);
    CharLm lm = c.table();
    for (String label : List.of("google", "qzx9-k", "a", "")) {
      assertEquals(c.bitsPerChar(label), lm.bitsPerChar(label), 1e-9, label);
    }
  }

  /** Leaving a label out of the counts scores it as counts without it would. */
  @Test
  void leavingOneOutEqualsCountsWithoutIt() {
    CharLm.Counts with = counts(BENIGN);
    CharLm.Counts without = counts(BENIGN.subList(1, BENIGN.size()));
    assertEquals(without.bitsPerChar("google"), with.bitsPerCharLeavingOut("google"), 1e-12);
    assertTrue(with.bitsPerCharLeavingOut("google") > with.bitsPerChar("google"), "seen looks less surprising");
    assertEquals(with.table().sha256(), counts(BENIGN).table().sha256(), "the counts are restored");
  }

  @Test
  void encodedTablesRoundTripAndAreCheckedAgainstTheirHash() {
    CharLm lm = counts(BENIGN).table();
    CharLm back = CharLm.decode(lm.encode(), lm.sha256());
    assertEquals(lm.sha256(), back.sha256());
    assertEquals(lm.encode(), back.encode());
    CharLm other = counts(List.of("other")).table();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharLm.decode(other.encode(), lm.sha256()));
    assertTrue(e.getMessage().contains("not the ones it was trained with"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CharLm.decode("bm90IHRhYmxlcw==", lm.sha256()));
  }

  @Test
  void statisticsOfALabel() {
    CharLm lm = counts(BENIGN).table();
    float[] s = CharStats.of("ab12bcdfg", lm);
    assertEquals(CharStats.BASE, s.length);
    assertEquals(9 / 63f, s[2], 1e-6);        // length
    assertEquals(2 / 9f, s[3], 1e-6);         // digits
    assertEquals(1 / 9f, s[4], 1e-6);         // vowels: a
    assertEquals(5 / 9f, s[5], 1e-6);         // longest consonant run: b c d f g after the digits
    assertNotEquals(0f, s[0]);
    assertArrayEquals(s, CharStats.of("ab12bcdfg", lm));
  }
}
