package io.dgadmesh.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained {@link DgaNetwork} as an ONNX graph of standard opset-13 operators, with the
 * {@link ModelSpec} in {@code metadata_props}. The convolutions pad on the right and windows that
 * start on padding are pushed far below zero before the max pool, so batches of any width give the
 * DJL network's results. The graph is built from plain arrays ({@link Weights}), so an exported
 * model can also be rewritten into the current graph with its weights unchanged ({@link #reexport}).
 */
public final class OnnxExporter {

  private static final int OPSET = 13;
  /** Added to every conv output of a window that starts on padding: never the max of a name. */
  private static final float PAD_WINDOW = -1e9f;

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

  /**
   * Everything the graph needs. convIm2col is [maxWidth * E, pooled]: all convolution widths as
   * one matrix over windows of maxWidth embedded characters, zero rows where a kernel is narrower.
   */
  record Weights(Tensor embedding, Tensor convIm2col, float[] convBias, Tensor hiddenW, Tensor hiddenB,
                 Tensor binaryW, Tensor binaryB, Tensor familyW, Tensor familyB, Ngrams ngrams, String doc) {

    static Weights of(DgaNetwork net) {
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
      return new Weights(Tensor.of(net.embeddingParameter().getArray()), new Tensor(w, new long[] {(long) maxW * e, total}), b,
          param(net.hiddenLayer(), "weight"), param(net.hiddenLayer(), "bias"),
          param(net.binaryHead(), "weight"), param(net.binaryHead(), "bias"),
          param(net.familyHead(), "weight"), param(net.familyHead(), "bias"), ngrams,
          "DGA detector: character CNN over the registrable part of a host name. " + shape.describe());
    }

    private static Tensor param(Block linear, String name) {
      return Tensor.of(linear.getParameters().get(name).getArray());
    }

    /** The weights of a model this exporter wrote, in this or the earlier graph form. */
    static Weights of(ModelProto model) {
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
      return new Weights(embedding, windows, bias, Tensor.of(need(init, "hidden_w")), Tensor.of(need(init, "hidden_b")),
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

  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("dga_detector");
  private int counter;
  private final Map<Long, String> axesConstants = new HashMap<>();

  private OnnxExporter() {}

  public static byte[] export(DgaNetwork net, ModelSpec spec) {
    return new OnnxExporter().build(Weights.of(net), spec.toMetadata(), spec.version()).toByteArray();
  }

  public static void export(DgaNetwork net, ModelSpec spec, Path out) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, export(net, spec));
  }

  /**
   * The model in the current graph form: same weights, same metadata, same scores up to float
   * rounding (the order of a few additions changes). For models exported by an earlier version.
   */
  public static byte[] reexport(byte[] onnx) throws IOException {
    ModelProto old = ModelProto.parseFrom(onnx);
    Map<String, String> meta = new LinkedHashMap<>();
    for (OnnxMl.StringStringEntryProto p : old.getMetadataPropsList()) {
      meta.put(p.getKey(), p.getValue());
    }
    return new OnnxExporter().build(Weights.of(old), meta, old.getProducerVersion()).toByteArray();
  }

  private ModelProto build(Weights w, Map<String, String> metadata, String version) {
    int families = (int) w.familyW().dims()[0];
    graph.addInput(valueInfo(DgaModel.INPUT, TensorProto.DataType.INT64, "batch", "max_len"));
    graph.addOutput(valueInfo(DgaModel.OUTPUT_SCORE, TensorProto.DataType.FLOAT, "batch"));
    graph.addOutput(valueInfo(DgaModel.OUTPUT_FAMILIES, TensorProto.DataType.FLOAT, "batch",
        Integer.toString(families)));

    String embedding = floats("embedding", w.embedding());
    String features = convolutionsAsTapTables(w, embedding);
    if (w.ngrams() != null) {
      String padId = initializer("pad_id", TensorProto.DataType.INT64, new long[] {}, longBytes(ModelSpec.PAD));
      String real = node("Not", new String[] {node("Equal", new String[] {DgaModel.INPUT, padId})});
      String realF = node("Cast", new String[] {real}, attr("to", TensorProto.DataType.FLOAT_VALUE));
      features = node("Concat", new String[] {features, ngramBag(w.ngrams(), realF)}, attr("axis", 1));
    }
    String h = node("Relu", new String[] {gemm(features, w.hiddenW(), w.hiddenB(), "hidden")});
    String logit = gemm(h, w.binaryW(), w.binaryB(), "binary");
    String prob = node("Sigmoid", new String[] {logit});
    String flat = initializer("flat_shape", TensorProto.DataType.INT64, new long[] {1}, longBytes(-1L));
    graph.addNode(NodeProto.newBuilder().setOpType("Reshape").setName("score")
        .addInput(prob).addInput(flat).addOutput(DgaModel.OUTPUT_SCORE));
    String famLogits = gemm(h, w.familyW(), w.familyB(), "family");
    graph.addNode(NodeProto.newBuilder().setOpType("Softmax").setName("family_softmax")
        .addInput(famLogits).addOutput(DgaModel.OUTPUT_FAMILIES).addAttribute(attr("axis", 1)));

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("dgad-mesh trainer")
        .setProducerVersion(version)
        .setDomain("io.dgadmesh")
        .setDocString(w.doc())
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
          .setKey(e.getKey()).setValue(e.getValue()));
    }
    return model.build();
  }

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
   * {@link Weights#of(ModelProto)} reads it); ONNX Runtime folds them once when it loads the
   * session. The first lookup's tables also carry the bias, or PAD_WINDOW when the window starts
   * on padding (the mask). ReLU commutes with max, so the max pool runs before the ReLU. Same
   * result as the convolutions up to the order of float additions.
   */
  private String convolutionsAsTapTables(Weights w, String embedding) {
    int v = (int) w.embedding().dims()[0];
    int e = (int) w.embedding().dims()[1];
    int rows = (int) w.convIm2col().dims()[0];
    int total = (int) w.convIm2col().dims()[1];
    int maxW = rows / e;
    float[] weight = Arrays.copyOf(w.convIm2col().values(), (rows + 2) * total);
    System.arraycopy(w.convBias(), 0, weight, rows * total, total);
    Arrays.fill(weight, (rows + 1) * total, (rows + 2) * total, PAD_WINDOW);
    String gemmW = floats("conv_gemm_w", new Tensor(weight, new long[] {rows + 2, total}));
    // Constant part (folded at load): per tap, [V, total] = embedding x the tap's rows.
    String[] tap = new String[maxW];
    for (int k = 0; k < maxW; k++) {
      tap[k] = node("MatMul", new String[] {embedding, slab(gemmW, 0, k * e, (k + 1) * e, "conv_tap" + k)});
    }
    // Per character: [starts on a character, starts on padding] x [bias row; PAD_WINDOW row].
    float[] startFlags = new float[v * 2];
    for (int c = 0; c < v; c++) {
      startFlags[c * 2 + (c == ModelSpec.PAD ? 1 : 0)] = 1f;
    }
    String start = node("MatMul", new String[] {floats("conv_start_flags", new Tensor(startFlags, new long[] {v, 2})),
        slab(gemmW, 0, rows, rows + 2, "conv_start_rows")});
    tap[0] = node("Add", new String[] {tap[0], start});

    // Per run: the ids each lookup reads. Lookup k covers taps 2k and 2k+1 (pair id = first
    // char * V + second), or tap 2k alone when it is the last tap of an odd widest kernel.
    int lookups = (maxW + 1) / 2;
    int tail = maxW - 1;
    String vocab = initializer("conv_vocab", TensorProto.DataType.INT64, new long[] {}, longBytes(v));
    String pairIds = maxW < 2 ? null : node("Add", new String[] {
        node("Mul", new String[] {slice(DgaModel.INPUT, 0, -1, "conv_pair_first"), vocab}),
        slice(DgaModel.INPUT, 1, Long.MAX_VALUE, "conv_pair_second")});
    String[] ids = new String[lookups];
    for (int k = 0; k < lookups; k++) {
      if (2 * k + 1 < maxW) {
        // pairIds is one shorter than the ids: pair k starts at 2k and ends tail-2k-1 before.
        int end = tail - 2 * k - 1;
        ids[k] = slice(pairIds, 2L * k, end == 0 ? Long.MAX_VALUE : -end, "conv_pair" + k);
      } else {
        ids[k] = slice(DgaModel.INPUT, tail, Long.MAX_VALUE, "conv_last_tap");
      }
    }
    String pairShape = initializer("conv_pair_shape", TensorProto.DataType.INT64, new long[] {2},
        longBytes(v * (long) v, -1L));

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
        String first = slab(tap[2 * k], 1, from, to, name + "a");
        String table = first;
        if (2 * k + 1 < maxW) {
          String second = slab(tap[2 * k + 1], 1, from, to, name + "b");
          table = node("Reshape", new String[] {node("Add", new String[] {
              node("Unsqueeze", new String[] {first, axes(1)}), node("Unsqueeze", new String[] {second, axes(0)})}),
              pairShape});
        }
        parts[k] = node("Gather", new String[] {table, ids[k]}, attr("axis", 0));
      }
      String y = parts.length == 1 ? parts[0] : node("Sum", parts);
      pooled.add(node("ReduceMax", new String[] {y}, ints("axes", 1), attr("keepdims", 0)));
      from = to;
    }
    String all = pooled.size() == 1 ? pooled.get(0) : node("Concat", pooled.toArray(String[]::new), attr("axis", 1));
    return node("Relu", new String[] {all});
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

  /** Indices [from, to) along one axis. */
  private String slab(String matrix, long axis, long from, long to, String name) {
    String s = initializer(name + "_start", TensorProto.DataType.INT64, new long[] {1}, longBytes(from));
    String e = initializer(name + "_end", TensorProto.DataType.INT64, new long[] {1}, longBytes(to));
    String a = initializer(name + "_axes", TensorProto.DataType.INT64, new long[] {1}, longBytes(axis));
    return node("Slice", new String[] {matrix, s, e, a});
  }

  private String floats(String name, Tensor t) {
    ByteBuffer buf = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : t.values()) {
      buf.putFloat(v);
    }
    return initializer(name, TensorProto.DataType.FLOAT, t.dims(), buf.array());
  }

  /** Masked mean of hashed n-gram embeddings; mirrors {@link DgaNetwork#ngramBuckets}. */
  private String ngramBag(Ngrams ng, String realF) {
    int n = ng.n();
    String h = null;
    String vocab = initializer("ngram_vocab", TensorProto.DataType.INT64, new long[] {}, longBytes(ng.vocab()));
    for (int k = 0; k < n; k++) {
      // Window k of every n-gram: ids[:, k : len - (n-1-k)].
      String slice = slice(DgaModel.INPUT, k, k == n - 1 ? Long.MAX_VALUE : -(n - 1 - k), "ngram_s" + k);
      h = h == null ? slice : node("Add", new String[] {node("Mul", new String[] {h, vocab}), slice});
    }
    String buckets = initializer("ngram_buckets", TensorProto.DataType.INT64, new long[] {},
        longBytes(ng.buckets()));
    String idx = node("Mod", new String[] {h, buckets}, attr("fmod", 0));
    String table = floats("ngram_table", ng.table());
    String emb = node("Gather", new String[] {table, idx}, attr("axis", 0));
    String m = slice(realF, 0, -(n - 1), "ngram_mask");
    String m3 = node("Unsqueeze", new String[] {m, axes(2)});
    String axes1 = axes(1);
    String sum = node("ReduceSum", new String[] {node("Mul", new String[] {emb, m3}), axes1}, attr("keepdims", 0));
    String count = node("ReduceSum", new String[] {m3, axes1}, attr("keepdims", 0));
    return node("Div", new String[] {sum, count});
  }

  /** An int64 [value] constant (axes lists), written once per value. */
  private String axes(long value) {
    return axesConstants.computeIfAbsent(value,
        v -> initializer("axes_" + v, TensorProto.DataType.INT64, new long[] {1}, longBytes(v)));
  }

  /** Positions [start, end) of a [batch, positions, ...] tensor. */
  private String slice(String input, long start, long end, String name) {
    return slab(input, 1, start, end, name);
  }

  private String gemm(String input, Tensor weight, Tensor bias, String name) {
    String w = floats(name + "_w", weight);
    String b = floats(name + "_b", bias);
    return node("Gemm", new String[] {input, w, b}, attr("transB", 1));
  }

  private String node(String op, String[] inputs, AttributeProto... attrs) {
    String out = op.toLowerCase() + "_" + (counter++);
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n.addOutput(out));
    return out;
  }

  private String initializer(String name, TensorProto.DataType type, long[] dims, byte[] raw) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  private static byte[] longBytes(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, String... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (String d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d.chars().allMatch(Character::isDigit)) {
        dim.setDimValue(Long.parseLong(d));
      } else {
        dim.setDimParam(d);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
  }

  private static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
