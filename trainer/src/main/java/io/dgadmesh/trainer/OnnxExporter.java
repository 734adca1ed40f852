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
    String channels = node("Transpose", new String[] {embedded}, ints("perm", 0, 2, 1));
    String padId = initializer("pad_id", TensorProto.DataType.INT64, new long[] {}, longBytes(0L));
    String isPad = node("Equal", new String[] {DgaModel.INPUT, padId});
    String real = node("Not", new String[] {isPad});
    String realF = node("Cast", new String[] {real}, attr("to", TensorProto.DataType.FLOAT_VALUE));
    String axis1 = initializer("axis1", TensorProto.DataType.INT64, new long[] {1}, longBytes(1L));
    String mask = node("Unsqueeze", new String[] {realF, axis1});

    String[] pooled = new String[shape.widths().length];
    for (int i = 0; i < shape.widths().length; i++) {
      int w = shape.widths()[i];
      Block conv = net.convs().get(i);
      String weight = initializer("conv" + w + "_w", conv.getParameters().get("weight").getArray());
      String bias = initializer("conv" + w + "_b", conv.getParameters().get("bias").getArray());
      String c = node("Conv", new String[] {channels, weight, bias},
          ints("kernel_shape", w), ints("pads", 0, w - 1), ints("strides", 1), ints("dilations", 1));
      String r = node("Relu", new String[] {c});
      String m = node("Mul", new String[] {r, mask});
      pooled[i] = node("ReduceMax", new String[] {m}, ints("axes", 2), attr("keepdims", 0));
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
