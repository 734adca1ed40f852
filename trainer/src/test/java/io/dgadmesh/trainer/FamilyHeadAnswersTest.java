package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.model.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyHeadAnswersTest {

  private static DomainDataset.Row dga(String family) {
    return new DomainDataset.Row("x.com", true, family, "generated", false, "test", "x");
  }

  private static Prediction taken(int familyIndex) {
    return new Prediction(0.1f, false, null, 0.5f, familyIndex);
  }

  /**
   * Benign rows and families the head was not trained on are left out; murofet counts as the merged
   * class it was trained as; a wrong binary verdict does not matter (the argmax counts).
   */
  @Test
  void countsTheMergedClassesOfDgaRowsOnly() {
    List<String> classes = List.of("gameover+murofet+tufik", "suppobox");
    List<DomainDataset.Row> rows = List.of(dga("murofet"), dga("suppobox"),
        new DomainDataset.Row("google.com", false, null, "alexa2016", false, "test", "g"), dga("matsnu"), dga("suppobox"));
    List<Prediction> p = List.of(taken(0), taken(1), taken(1), taken(1), taken(0));
    FamilyHeadAnswers a = FamilyHeadAnswers.of(classes, rows, p);
    assertArrayEquals(new int[] {0, 1, 1}, a.truth());
    assertArrayEquals(new int[] {0, 1, 0}, a.predicted());
    assertEquals(List.of(0, 1), a.present());
    assertEquals(2.0 / 3, a.accuracy(), 1e-12);
    // class 0: P 1/2, R 1 -> 2/3; class 1: P 1, R 1/2 -> 2/3
    assertEquals(2.0 / 3, a.macroF1(), 1e-12);
  }
}
