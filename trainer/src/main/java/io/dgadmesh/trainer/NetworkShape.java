package io.dgadmesh.trainer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Sizes of the character CNN; recorded in the model's metadata. */
public record NetworkShape(int vocab, int embedding, int[] widths, int filters, int hidden, int families,
    int ngram, int buckets, int ngramDim, int stats) {

  public boolean hasNgrams() {
    return ngram > 0 && buckets > 0 && ngramDim > 0;
  }

  /** Features after pooling: conv filters plus the n-gram bag; the character statistics join after them. */
  public int features() {
    return pooled() + (hasNgrams() ? ngramDim : 0);
  }

  /** What the dense layer reads: pooled features and the character statistics. */
  public int denseInputs() {
    return features() + stats;
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
        // "features", not "statistics": the second input holds the length bins too (named in dgad.char_stats)
        + (stats > 0 ? ", a second input of " + stats + " features (character statistics, then any length bins)"
            + " joined before the dense layer" : "")
        + ", dense " + hidden
        + ", heads: binary (sigmoid) + family (softmax over " + families + ")";
  }
}
