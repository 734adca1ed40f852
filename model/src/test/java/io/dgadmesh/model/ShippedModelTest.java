package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model shipped in the jar: self-describing, and right on the obvious cases. */
class ShippedModelTest {

  static DgaModel model;

  @BeforeAll
  static void load() {
    model = DgaModel.loadDefault(1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void metadataDescribesTheModel() {
    ModelSpec s = model.spec();
    assertTrue(s.families().size() > 50, "family names in output order");
    assertTrue(s.families().contains("suppobox"));
    assertTrue(s.threshold() > 0 && s.threshold() < 1);
    assertEquals(64, s.dataHash().length(), "sha256 of the training data");
    assertFalse(s.version().isBlank());
    assertEquals(InputUnit.REGISTRABLE_DOMAIN, s.inputUnit());
    assertTrue(model.sizeBytes() <= 8_000_000, "model and its LM tables <= 8 MB");
  }

  /** Trained with the bundled suffix list, which a node reads by default; strict above balanced. */
  @Test
  void theShippedModelCarriesItsSuffixListItsLmAndTwoOperatingPoints() {
    ModelSpec s = model.spec();
    assertEquals(SuffixList.bundled().sha256(), s.pslHash());
    assertTrue(s.hasCharStats());
    assertEquals(40, model.encoder().features().lengthBins(), "the label length, one-hot in 40 bins");
    assertEquals(CharStats.COUNT + 40, model.encoder().features().count(),
        "all the statistics, word_lm_gain included, then the length bins");
    assertEquals(List.of("suppobox", "nymaim2"), model.encoder().features().wordFamilies());
    assertEquals(List.of("strict", "balanced"), List.copyOf(s.operatingPoints().keySet()));
    assertTrue(s.operatingPoints().get("strict") > s.operatingPoints().get("balanced"), s.operatingPoints().toString());
    assertEquals("balanced", model.operatingPoint().name());
    assertEquals(s.operatingPoints().get("balanced"), model.threshold());
    assertEquals("xkqwjvbn.co.cc", model.encoder().unitOf("www.xkqwjvbn.co.cc"));
  }

  @Test
  void wellKnownNamesAreBenign() {
    List<String> hosts = List.of("google.com", "wikipedia.org", "github.com", "www.google.com",
        "mail.google.co.uk");
    List<Prediction> p = model.classify(hosts);
    for (int i = 0; i < hosts.size(); i++) {
      assertFalse(p.get(i).dga(), hosts.get(i) + " scored " + p.get(i).score());
    }
  }

  @Test
  void randomTwentyLetterNamesAreDga() {
    // Uniformly random letters: the model card's probe measures ~98.6% of such names flagged at
    // the shipped threshold (it is set for FPR 1e-3, and some random strings read like words).
    Random rnd = new Random(2026);
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < 20; k++) {
        b.append((char) ('a' + rnd.nextInt(26)));
      }
      hosts.add(b + (i % 2 == 0 ? ".com" : ".net"));
    }
    List<Prediction> p = model.classify(hosts);
    int flagged = 0;
    for (Prediction x : p) {
      if (x.dga()) {
        flagged++;
        assertNotNull(x.family());
        assertTrue(x.familyScore() > 0 && x.familyScore() <= 1);
      }
    }
    assertTrue(flagged >= 475, flagged + " of 500 random 20-letter names flagged");
  }

  @Test
  void obviouslyGeneratedNamesAreDga() {
    List<String> hosts = List.of("xjwqkfzvbnmtrplhgdsq.com", "qwxzkjhgfdsapoiuytre.com",
        "k3j9x2m8q7w4z1v6b5n0.net", "zzqxjvkwpfhgtrbnmlsd.org", "a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4.info");
    for (Prediction x : model.classify(hosts)) {
      assertTrue(x.dga(), x.toString());
    }
  }

  @Test
  void batchCompositionDoesNotChangeScores() {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      hosts.add("n" + Integer.toString(i * 7919, 36) + "x".repeat(i % 40) + ".example.org");
    }
    List<Prediction> all = model.classify(hosts);
    for (int i = 0; i < hosts.size(); i += 29) {
      assertEquals(all.get(i).score(), model.classify(List.of(hosts.get(i))).get(0).score(), 1e-5);
    }
  }
}
