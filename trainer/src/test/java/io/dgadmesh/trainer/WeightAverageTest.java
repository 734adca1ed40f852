package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;

/** {@code --average-last}: the network ends with the element-wise mean of the weights it was given. */
class WeightAverageTest {

  static {
    DjlSetup.configure(1);
  }

  @Test
  void applyPutsTheMeanOfTheSnapshotsIntoTheWeights() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Linear layer = Linear.builder().setUnits(2).build();
      layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
      Parameter weight = layer.getParameters().get("weight");
      Parameter bias = layer.getParameters().get("bias");
      try (WeightAverage average = new WeightAverage(layer.getParameters(), m)) {
        assertThrows(IllegalStateException.class, average::apply, "nothing to average yet");
        float[][] weights = {{1, 2, 3, 4, 5, 6}, {3, 2, 1, 0, -1, -2}, {2, 2, 2, 2, 2, 2}};
        float[][] biases = {{1, -1}, {2, -2}, {6, 0}};
        for (int k = 0; k < weights.length; k++) {
          weight.getArray().set(weights[k]);
          bias.getArray().set(biases[k]);
          average.add();
        }
        weight.getArray().set(new float[] {9, 9, 9, 9, 9, 9}); // moved on after the last snapshot
        average.apply();
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, weight.getArray().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {3, -1}, bias.getArray().toFloatArray(), 1e-6f);
      }
    }
  }
}
