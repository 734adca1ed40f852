package io.dgadmesh.trainer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.dgadmesh.trainer.OnnxWeights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * An ONNX graph under construction: nodes named by operator and a running counter, initializers
 * by name. The names and the order of the calls are the file's bytes, so a model exported twice
 * from the same weights is the same file.
 */
final class OnnxGraph {

  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("dga_detector");
  private int counter;
  private final Map<Long, String> axesConstants = new HashMap<>();

  GraphProto.Builder proto() {
    return graph;
  }

  void input(String name, TensorProto.DataType type, String... dims) {
    graph.addInput(valueInfo(name, type, dims));
  }

  void output(String name, TensorProto.DataType type, String... dims) {
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** A node whose output is a graph output, so it takes that name instead of a generated one. */
  void namedNode(String op, String name, String[] inputs, String output, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
    for (String in : inputs) {
      n.addInput(in);
    }
    n.addOutput(output);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  String node(String op, String[] inputs, AttributeProto... attrs) {
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

  String initializer(String name, TensorProto.DataType type, long[] dims, byte[] raw) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  String floats(String name, Tensor t) {
    ByteBuffer buf = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : t.values()) {
      buf.putFloat(v);
    }
    return initializer(name, TensorProto.DataType.FLOAT, t.dims(), buf.array());
  }

  /** An int64 scalar constant. */
  String longScalar(String name, long value) {
    return initializer(name, TensorProto.DataType.INT64, new long[] {}, longBytes(value));
  }

  /** An int64 vector constant. */
  String longs(String name, long... values) {
    return initializer(name, TensorProto.DataType.INT64, new long[] {values.length}, longBytes(values));
  }

  /** Indices [from, to) along one axis. */
  String slab(String matrix, long axis, long from, long to, String name) {
    String s = longs(name + "_start", from);
    String e = longs(name + "_end", to);
    String a = longs(name + "_axes", axis);
    return node("Slice", new String[] {matrix, s, e, a});
  }

  /** Positions [start, end) of a [batch, positions, ...] tensor. */
  String slice(String input, long start, long end, String name) {
    return slab(input, 1, start, end, name);
  }

  /** An int64 [value] constant (axes lists), written once per value. */
  String axes(long value) {
    return axesConstants.computeIfAbsent(value, v -> longs("axes_" + v, v));
  }

  String gemm(String input, Tensor weight, Tensor bias, String name) {
    String w = floats(name + "_w", weight);
    String b = floats(name + "_b", bias);
    return node("Gemm", new String[] {input, w, b}, attr("transB", 1));
  }

  static byte[] longBytes(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
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
}
