package io.dgadmesh.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the ONNX graph needs, as plain arrays: read from a trained {@link DgaNetwork}, or back
 * from a model this exporter wrote, so an exported model can be rewritten into the current graph
 * with its weights unchanged. convIm2col is [maxWidth * E, pooled]: all convolution widths as one
 * matrix over windows of maxWidth embedded characters, zero rows where a kernel is narrower.
 */
record OnnxWeights(Tensor embedding, Tensor convIm2col, float[] convBias, Tensor hiddenW, Tensor hiddenB,
                   Tensor binaryW, Tensor binaryB, Tensor familyW, Tensor familyB, Ngrams ngrams, String doc) {

  /** A float tensor in row-major order. */
  record Tensor(float[] values, long[] dims) {
    static Tensor of(NDArray a) {
      return new Tensor(a.toFloatArray(), a.getShape().getShape());
    }

    static Tensor of(TensorProto t) {
      FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[] v = new float[fb.remaining()];
      fb.get(v);
      return new Tensor(v, t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }
  }

  /** The hashed n-gram branch (rejected in the card, kept for ablations). */
  record Ngrams(int n, int vocab, int buckets, Tensor table) {}

  static OnnxWeights of(DgaNetwork net) {
    NetworkShape shape = net.shape();
    int maxW = shape.maxWidth();
    int e = shape.embedding();
    int f = shape.filters();
    int total = shape.pooled();
    float[] w = new float[maxW * e * total];
    float[] b = new float[total];
    for (int j = 0; j < shape.widths().length; j++) {
      int width = shape.widths()[j];
      Block conv = net.convs().get(j);
      float[] kw = conv.getParameters().get("weight").getArray().toFloatArray(); // [F, E, width]
      float[] kb = conv.getParameters().get("bias").getArray().toFloatArray();
      for (int out = 0; out < f; out++) {
        b[j * f + out] = kb[out];
        for (int c = 0; c < e; c++) {
          for (int k = 0; k < width; k++) {
            w[(k * e + c) * total + j * f + out] = kw[(out * e + c) * width + k];
          }
        }
      }
    }
    Ngrams ngrams = shape.hasNgrams()
        ? new Ngrams(shape.ngram(), shape.vocab(), shape.buckets(), Tensor.of(net.ngramParameter().getArray()))
        : null;
    return new OnnxWeights(Tensor.of(net.embeddingParameter().getArray()), new Tensor(w, new long[] {(long) maxW * e, total}), b,
        param(net.hiddenLayer(), "weight"), param(net.hiddenLayer(), "bias"),
        param(net.binaryHead(), "weight"), param(net.binaryHead(), "bias"),
        param(net.familyHead(), "weight"), param(net.familyHead(), "bias"), ngrams,
        "DGA detector: character CNN over the registrable part of a host name. " + shape.describe());
  }

  private static Tensor param(Block linear, String name) {
    return Tensor.of(linear.getParameters().get(name).getArray());
  }

  /** The weights of a model this exporter wrote, in this or the earlier graph form. */
  static OnnxWeights of(ModelProto model) {
    Map<String, TensorProto> init = new HashMap<>();
    for (TensorProto t : model.getGraph().getInitializerList()) {
      init.put(t.getName(), t);
    }
    Tensor embedding = Tensor.of(need(init, "embedding"));
    Tensor conv = Tensor.of(need(init, "conv_gemm_w"));
    long e = embedding.dims()[1];
    long total = conv.dims()[1];
    long rows = conv.dims()[0];
    float[] bias;
    if (init.containsKey("conv_gemm_b")) { // earlier form: bias added after the product
      bias = Tensor.of(init.get("conv_gemm_b")).values();
    } else { // current form: the bias is the row after the windows' rows
      rows -= 2;
      bias = Arrays.copyOfRange(conv.values(), (int) (rows * total), (int) ((rows + 1) * total));
    }
    if (rows % e != 0) {
      throw new IllegalArgumentException("conv_gemm_w has " + rows + " rows, not a multiple of " + e);
    }
    Tensor windows = new Tensor(Arrays.copyOf(conv.values(), (int) (rows * total)), new long[] {rows, total});
    return new OnnxWeights(embedding, windows, bias, Tensor.of(need(init, "hidden_w")), Tensor.of(need(init, "hidden_b")),
        Tensor.of(need(init, "binary_w")), Tensor.of(need(init, "binary_b")),
        Tensor.of(need(init, "family_w")), Tensor.of(need(init, "family_b")), ngrams(init), model.getDocString());
  }

  private static Ngrams ngrams(Map<String, TensorProto> init) {
    if (!init.containsKey("ngram_table")) {
      return null;
    }
    int n = 0;
    while (init.containsKey("ngram_s" + n + "_start")) {
      n++;
    }
    return new Ngrams(n, (int) scalar(need(init, "ngram_vocab")), (int) scalar(need(init, "ngram_buckets")),
        Tensor.of(init.get("ngram_table")));
  }

  private static long scalar(TensorProto t) {
    return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static TensorProto need(Map<String, TensorProto> init, String name) {
    TensorProto t = init.get(name);
    if (t == null) {
      throw new IllegalArgumentException("not a model of this exporter: no initializer '" + name + "'");
    }
    return t;
  }
}
