package io.dgadmesh.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The mean of a network's weights over the ends of its last epochs (Polyak averaging, as in
 * stochastic weight averaging). The low-FPR tail of one run moved by several points from one
 * epoch to the next; the mean of the last epochs' weights sits in the middle of the region they
 * wander in instead of wherever the last step left them.
 */
final class WeightAverage implements AutoCloseable {

  private final NDManager manager;
  private final List<Parameter> parameters = new ArrayList<>();
  private final List<NDArray> sums = new ArrayList<>();
  private int snapshots;

  WeightAverage(PairList<String, Parameter> parameters, NDManager parent) {
    this.manager = parent.newSubManager();
    for (Pair<String, Parameter> p : parameters) {
      this.parameters.add(p.getValue());
    }
  }

  /** Adds the weights as they are now. */
  void add() {
    for (int i = 0; i < parameters.size(); i++) {
      NDArray now = parameters.get(i).getArray();
      // A copy by value, out of the optimiser's arrays and their gradients.
      NDArray copy = manager.create(now.toFloatArray(), now.getShape());
      if (snapshots == 0) {
        sums.add(copy);
      } else {
        sums.get(i).addi(copy);
        copy.close();
      }
    }
    snapshots++;
  }

  int snapshots() {
    return snapshots;
  }

  /** Puts the mean of the snapshots into the network's weights. */
  void apply() {
    if (snapshots == 0) {
      throw new IllegalStateException("no weights were added to average");
    }
    for (int i = 0; i < parameters.size(); i++) {
      try (NDArray mean = sums.get(i).div(snapshots)) {
        // Copied by value: the weights stay the optimiser's own arrays, gradients and all.
        parameters.get(i).getArray().set(mean.toFloatArray());
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
