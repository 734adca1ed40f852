package io.dgadmesh.trainer;

import static io.dgadmesh.trainer.OnnxGraph.attr;
import static io.dgadmesh.trainer.OnnxGraph.ints;

import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelSpec;
import io.dgadmesh.trainer.OnnxWeights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All convolution widths, as sums of table rows instead of multiplications. A window's conv
 * output is the sum over its taps of (embedding of the character at that tap) x (that tap's
 * weights), and there are only V characters: so each tap's products are a [V, channels] table,
 * and two adjacent taps merge into one [V*V, channels] table indexed by the character pair.
 * A kernel of width w needs ceil(w/2) lookups per position, so channels are grouped by that
 * count (widths 2..7: {2}, {3,4}, {5,6}, {7}: 1, 2, 3 and 4 lookups of 48 or 96 values), which
 * moves 720 values per position instead of 4 x 288; a few hundred additions replace the
 * 170 x 288 multiply-adds of a matrix product over the window (im2col). The tables are computed
 * in the graph from the stored weights (the file keeps the im2col matrix, so it stays small and
 * {@link OnnxWeights#of(ai.onnx.proto.OnnxMl.ModelProto)} reads it); ONNX Runtime folds them once
 * when it loads the session. The first lookup's tables also carry the bias, or PAD_WINDOW when
 * the window starts on padding (the mask). ReLU commutes with max, so the max pool runs before
 * the ReLU. Same result as the convolutions up to the order of float additions.
 */
final class ConvTapTables {

  /** Added to every conv output of a window that starts on padding: never the max of a name. */
  private static final float PAD_WINDOW = -1e9f;

  private ConvTapTables() {}

  /** The pooled, ReLU'd features of every convolution channel, [batch, channels]. */
  static String add(OnnxGraph g, OnnxWeights w, String embedding) {
    int v = (int) w.embedding().dims()[0];
    int e = (int) w.embedding().dims()[1];
    int rows = (int) w.convIm2col().dims()[0];
    int total = (int) w.convIm2col().dims()[1];
    int maxW = rows / e;
    float[] weight = Arrays.copyOf(w.convIm2col().values(), (rows + 2) * total);
    System.arraycopy(w.convBias(), 0, weight, rows * total, total);
    Arrays.fill(weight, (rows + 1) * total, (rows + 2) * total, PAD_WINDOW);
    String gemmW = g.floats("conv_gemm_w", new Tensor(weight, new long[] {rows + 2, total}));
    // Constant part (folded at load): per tap, [V, total] = embedding x the tap's rows.
    String[] tap = new String[maxW];
    for (int k = 0; k < maxW; k++) {
      tap[k] = g.node("MatMul", new String[] {embedding, g.slab(gemmW, 0, k * e, (k + 1) * e, "conv_tap" + k)});
    }
    // Per character: [starts on a character, starts on padding] x [bias row; PAD_WINDOW row].
    float[] startFlags = new float[v * 2];
    for (int c = 0; c < v; c++) {
      startFlags[c * 2 + (c == ModelSpec.PAD ? 1 : 0)] = 1f;
    }
    String start = g.node("MatMul", new String[] {g.floats("conv_start_flags", new Tensor(startFlags, new long[] {v, 2})),
        g.slab(gemmW, 0, rows, rows + 2, "conv_start_rows")});
    tap[0] = g.node("Add", new String[] {tap[0], start});

    String[] ids = lookupIds(g, v, maxW);
    String pairShape = g.longs("conv_pair_shape", v * (long) v, -1L);

    int[] need = lookupsPerChannel(w.convIm2col(), e);
    List<String> pooled = new ArrayList<>();
    for (int from = 0; from < total; ) {
      int to = from;
      while (to < total && need[to] == need[from]) {
        to++;
      }
      String[] parts = new String[need[from]];
      for (int k = 0; k < parts.length; k++) {
        String name = "conv_c" + from + "_" + to + "_t" + k;
        String first = g.slab(tap[2 * k], 1, from, to, name + "a");
        String table = first;
        if (2 * k + 1 < maxW) {
          String second = g.slab(tap[2 * k + 1], 1, from, to, name + "b");
          table = g.node("Reshape", new String[] {g.node("Add", new String[] {
              g.node("Unsqueeze", new String[] {first, g.axes(1)}), g.node("Unsqueeze", new String[] {second, g.axes(0)})}),
              pairShape});
        }
        parts[k] = g.node("Gather", new String[] {table, ids[k]}, attr("axis", 0));
      }
      String y = parts.length == 1 ? parts[0] : g.node("Sum", parts);
      pooled.add(g.node("ReduceMax", new String[] {y}, ints("axes", 1), attr("keepdims", 0)));
      from = to;
    }
    String all = pooled.size() == 1 ? pooled.get(0) : g.node("Concat", pooled.toArray(String[]::new), attr("axis", 1));
    return g.node("Relu", new String[] {all});
  }

  /**
   * Per run: the ids each lookup reads. Lookup k covers taps 2k and 2k+1 (pair id = first
   * char * V + second), or tap 2k alone when it is the last tap of an odd widest kernel.
   */
  private static String[] lookupIds(OnnxGraph g, int v, int maxW) {
    int lookups = (maxW + 1) / 2;
    int tail = maxW - 1;
    String vocab = g.longScalar("conv_vocab", v);
    String pairIds = maxW < 2 ? null : g.node("Add", new String[] {
        g.node("Mul", new String[] {g.slice(DgaModel.INPUT, 0, -1, "conv_pair_first"), vocab}),
        g.slice(DgaModel.INPUT, 1, Long.MAX_VALUE, "conv_pair_second")});
    String[] ids = new String[lookups];
    for (int k = 0; k < lookups; k++) {
      if (2 * k + 1 < maxW) {
        // pairIds is one shorter than the ids: pair k starts at 2k and ends tail-2k-1 before.
        int end = tail - 2 * k - 1;
        ids[k] = g.slice(pairIds, 2L * k, end == 0 ? Long.MAX_VALUE : -end, "conv_pair" + k);
      } else {
        ids[k] = g.slice(DgaModel.INPUT, tail, Long.MAX_VALUE, "conv_last_tap");
      }
    }
    return ids;
  }

  /**
   * Per output channel, the lookups its kernel needs: ceil(width / 2), the width being one past
   * its last tap with a nonzero weight (the im2col matrix has zero rows where a kernel is narrower).
   */
  private static int[] lookupsPerChannel(Tensor im2col, int e) {
    int rows = (int) im2col.dims()[0];
    int total = (int) im2col.dims()[1];
    int[] need = new int[total];
    for (int c = 0; c < total; c++) {
      int width = 1;
      for (int r = 0; r < rows; r++) {
        if (im2col.values()[r * total + c] != 0f) {
          width = Math.max(width, r / e + 1);
        }
      }
      need[c] = (width + 1) / 2;
    }
    return need;
  }
}
