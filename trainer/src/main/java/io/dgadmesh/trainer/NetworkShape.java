package io.dgadmesh.trainer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Sizes of the character CNN; recorded in the model's metadata. */
public record NetworkShape(int vocab, int embedding, int[] widths, int filters, int hidden, int families,
    int ngram, int buckets, int ngramDim) {

  public boolean hasNgrams() {
    return ngram > 0 && buckets > 0 && ngramDim > 0;
  }

  /** Features after pooling: conv filters plus the n-gram bag. */
  public int features() {
    return pooled() + (hasNgrams() ? ngramDim : 0);
  }

  public int maxWidth() {
    return Arrays.stream(widths).max().orElse(1);
  }

  public int pooled() {
    return widths.length * filters;
  }

  public String describe() {
    return "embedding " + embedding + ", conv widths "
        + Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("/"))
        + " x " + filters + " filters, masked global max pool"
        + (hasNgrams() ? ", hashed " + ngram + "-gram bag (" + buckets + " buckets x " + ngramDim + ", masked mean)" : "")
        + ", dense " + hidden
        + ", heads: binary (sigmoid) + family (softmax over " + families + ")";
  }
}
