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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained {@link DgaNetwork} as an ONNX graph of standard opset-13 operators, with the
 * {@link ModelSpec} in {@code metadata_props}. The convolutions pad on the right and the mask
 * zeroes windows that start on padding, so batches of any width give the DJL network's results.
 */
public final class OnnxExporter {

  private static final int OPSET = 13;

  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("dga_detector");
  private int counter;
  private final java.util.Map<Long, String> axesConstants = new java.util.HashMap<>();

  private OnnxExporter() {}

  public static byte[] export(DgaNetwork net, ModelSpec spec) {
    return new OnnxExporter().build(net, spec).toByteArray();
  }

  public static void export(DgaNetwork net, ModelSpec spec, Path out) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, export(net, spec));
  }

  private ModelProto build(DgaNetwork net, ModelSpec spec) {
    NetworkShape shape = net.shape();
    graph.addInput(valueInfo(DgaModel.INPUT, TensorProto.DataType.INT64, "batch", "max_len"));
    graph.addOutput(valueInfo(DgaModel.OUTPUT_SCORE, TensorProto.DataType.FLOAT, "batch"));
    graph.addOutput(valueInfo(DgaModel.OUTPUT_FAMILIES, TensorProto.DataType.FLOAT, "batch",
        Integer.toString(shape.families())));

    String table = initializer("embedding", net.embeddingParameter().getArray());
    String embedded = node("Gather", new String[] {table, DgaModel.INPUT}, attr("axis", 0));
    String padId = initializer("pad_id", TensorProto.DataType.INT64, new long[] {}, longBytes(0L));
    String isPad = node("Equal", new String[] {DgaModel.INPUT, padId});
    String real = node("Not", new String[] {isPad});
    String realF = node("Cast", new String[] {real}, attr("to", TensorProto.DataType.FLOAT_VALUE));
    String[] pooled = {convolutionsAsOneGemm(net, embedded, realF)};
    if (shape.hasNgrams()) {
      pooled = java.util.Arrays.copyOf(pooled, pooled.length + 1);
      pooled[pooled.length - 1] = ngramBag(net, realF);
    }
    String features = node("Concat", pooled, attr("axis", 1));
    String h = node("Relu", new String[] {gemm(features, net.hiddenLayer(), "hidden")});
    String logit = gemm(h, net.binaryHead(), "binary");
    String prob = node("Sigmoid", new String[] {logit});
    String flat = initializer("flat_shape", TensorProto.DataType.INT64, new long[] {1}, longBytes(-1L));
    graph.addNode(NodeProto.newBuilder().setOpType("Reshape").setName("score")
        .addInput(prob).addInput(flat).addOutput(DgaModel.OUTPUT_SCORE));
    String famLogits = gemm(h, net.familyHead(), "family");
    graph.addNode(NodeProto.newBuilder().setOpType("Softmax").setName("family_softmax")
        .addInput(famLogits).addOutput(DgaModel.OUTPUT_FAMILIES).addAttribute(attr("axis", 1)));

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("dgad-mesh trainer")
        .setProducerVersion(spec.version())
        .setDomain("io.dgadmesh")
        .setDocString("DGA detector: character CNN over the registrable part of a host name. "
            + shape.describe())
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph);
    for (Map.Entry<String, String> e : spec.toMetadata().entrySet()) {
      model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
          .setKey(e.getKey()).setValue(e.getValue()));
    }
    return model.build();
  }

  /**
   * All convolution widths as one matrix product (im2col): the embedded sequence shifted by
   * 0..maxWidth-1 positions, concatenated along channels, times one [maxWidth*E, sum F] matrix
   * whose rows for taps a narrower kernel lacks are zero. ONNX Runtime runs one large GEMM
   * instead of a small convolution per width and sample; the result is the same.
   */
  private String convolutionsAsOneGemm(DgaNetwork net, String embedded, String realF) {
    NetworkShape shape = net.shape();
    int maxW = shape.maxWidth();
    int tail = maxW - 1;
    int e = shape.embedding();
    int f = shape.filters();
    int total = shape.pooled();
    String[] shifted = new String[maxW];
    for (int k = 0; k < maxW; k++) {
      shifted[k] = slice(embedded, k, k == tail ? Long.MAX_VALUE : -(tail - k), "conv_shift" + k);
    }
    String windows = maxW == 1 ? shifted[0] : node("Concat", shifted, attr("axis", 2));
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
    String weight = floats("conv_gemm_w", new long[] {(long) maxW * e, total}, w);
    String bias = floats("conv_gemm_b", new long[] {total}, b);
    String y = node("Relu", new String[] {node("Add", new String[] {node("MatMul", new String[] {windows, weight}), bias})});
    String m = tail == 0 ? realF : slice(realF, 0, -tail, "conv_mask");
    String masked = node("Mul", new String[] {y, node("Unsqueeze", new String[] {m, axes(2)})});
    return node("ReduceMax", new String[] {masked}, ints("axes", 1), attr("keepdims", 0));
  }

  private String floats(String name, long[] dims, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return initializer(name, TensorProto.DataType.FLOAT, dims, buf.array());
  }

  /** Masked mean of hashed n-gram embeddings; mirrors {@link DgaNetwork#ngramBuckets}. */
  private String ngramBag(DgaNetwork net, String realF) {
    NetworkShape shape = net.shape();
    int n = shape.ngram();
    String h = null;
    String vocab = initializer("ngram_vocab", TensorProto.DataType.INT64, new long[] {}, longBytes(shape.vocab()));
    for (int k = 0; k < n; k++) {
      // Window k of every n-gram: ids[:, k : len - (n-1-k)].
      String slice = slice(DgaModel.INPUT, k, k == n - 1 ? Long.MAX_VALUE : -(n - 1 - k), "ngram_s" + k);
      h = h == null ? slice : node("Add", new String[] {node("Mul", new String[] {h, vocab}), slice});
    }
    String buckets = initializer("ngram_buckets", TensorProto.DataType.INT64, new long[] {},
        longBytes(shape.buckets()));
    String idx = node("Mod", new String[] {h, buckets}, attr("fmod", 0));
    String table = initializer("ngram_table", net.ngramParameter().getArray());
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

  private String slice(String input, long start, long end, String name) {
    String s = initializer(name + "_start", TensorProto.DataType.INT64, new long[] {1}, longBytes(start));
    String e = initializer(name + "_end", TensorProto.DataType.INT64, new long[] {1}, longBytes(end));
    String a = initializer(name + "_axes", TensorProto.DataType.INT64, new long[] {1}, longBytes(1L));
    return node("Slice", new String[] {input, s, e, a});
  }

  private String gemm(String input, Block linear, String name) {
    String w = initializer(name + "_w", linear.getParameters().get("weight").getArray());
    String b = initializer(name + "_b", linear.getParameters().get("bias").getArray());
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

  private String initializer(String name, NDArray array) {
    float[] values = array.toFloatArray();
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return initializer(name, TensorProto.DataType.FLOAT, array.getShape().getShape(), buf.array());
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

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
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
