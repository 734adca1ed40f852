package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.model.DgaModel;
import org.junit.jupiter.api.Test;

/** The host score's name evidence belongs to the model that ships with it. */
class NameEvidenceTest {

  /**
   * A new model scores names differently, so the table measured for the last one would weigh them
   * wrongly without a trace; shipping a model means running ScoreCalibration again.
   */
  @Test
  void tableWasMeasuredWithTheShippedModel() {
    try (DgaModel model = DgaModel.loadDefault(1)) {
      assertEquals(model.spec().version(), NameEvidence.MEASURED_WITH,
          "NameEvidence.LOG_LR was measured with another model: run bench's hosts.ScoreCalibration and paste its table");
    }
  }

  @Test
  void measuredForNamesTheModelEitherWay() {
    assertTrue(NameEvidence.measuredFor(NameEvidence.MEASURED_WITH));
    assertTrue(NameEvidence.measuredFor(NameEvidence.MEASURED_WITH + "@0123456789ab"));
    assertFalse(NameEvidence.measuredFor("0.9.0+00000000@0123456789ab"));
    assertFalse(NameEvidence.measuredFor(NameEvidence.MEASURED_WITH + "x"));
    assertFalse(NameEvidence.measuredFor(null));
  }

  @Test
  void approximateForSaysWhichModelsItConcerns() {
    assertTrue(NameEvidence.approximateFor(NameEvidence.MEASURED_WITH + "@0123456789ab").isEmpty());
    String w = NameEvidence.approximateFor("0.9.0+00000000@0123456789ab").orElseThrow();
    assertTrue(w.contains("0.9.0+00000000@0123456789ab") && w.contains(NameEvidence.MEASURED_WITH), w);
  }

  @Test
  void tableRisesWithTheScore() {
    for (int i = 1; i < NameEvidence.BINS; i++) {
      assertTrue(NameEvidence.llrOfBin(i, 0) >= NameEvidence.llrOfBin(i - 1, 0), "bin " + i);
    }
  }
}
