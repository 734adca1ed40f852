package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  /**
   * Three classes: class 0 is found twice of three times and once taken for class 1; class 2 is
   * never true. Per class: F1 = 2PR / (P + R).
   */
  @Test
  void f1PerClassAndItsMacroMeanOverThePresentClasses() {
    int[] truth = {0, 0, 0, 1, 1};
    int[] predicted = {0, 0, 1, 1, 2};
    double[] f1 = Metrics.f1PerClass(truth, predicted, 3);
    // class 0: P 2/2, R 2/3; class 1: P 1/2, R 1/2; class 2: never right
    assertArrayEquals(new double[] {0.8, 0.5, 0.0}, f1, 1e-12);
    assertEquals((0.8 + 0.5) / 2, Metrics.macroF1(truth, predicted, 3, List.of(0, 1)), 1e-12);
    assertEquals(Double.NaN, Metrics.macroF1(truth, predicted, 3, List.of()));
  }
}
