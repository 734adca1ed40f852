package io.dgadmesh.trainer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Sizes of the character CNN; recorded in the model's metadata. */
public record NetworkShape(int vocab, int embedding, int[] widths, int filters, int hidden, int families) {

  public int maxWidth() {
    return Arrays.stream(widths).max().orElse(1);
  }

  public int pooled() {
    return widths.length * filters;
  }

  public String describe() {
    return "embedding " + embedding + ", conv widths "
        + Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("/"))
        + " x " + filters + " filters, masked global max pool, dense " + hidden
        + ", heads: binary (sigmoid) + family (softmax over " + families + ")";
  }
}
