package io.dgadmesh.trainer;

import static io.dgadmesh.trainer.OnnxGraph.attr;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a trained {@link DgaNetwork} as an ONNX graph of standard opset-13 operators, with the
 * {@link ModelSpec} in {@code metadata_props}. The convolutions pad on the right and windows that
 * start on padding are pushed far below zero before the max pool ({@link ConvTapTables}), so
 * batches of any width give the DJL network's results. The graph is built from plain arrays
 * ({@link OnnxWeights}), so an exported model can also be rewritten into the current graph with its
 * weights unchanged ({@link #reexport}).
 */
public final class OnnxExporter {

  private static final int OPSET = 13;

  private final OnnxGraph graph = new OnnxGraph();

  private OnnxExporter() {}

  public static byte[] export(DgaNetwork net, ModelSpec spec) {
    return new OnnxExporter().build(OnnxWeights.of(net), spec.toMetadata(), spec.version()).toByteArray();
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
    return new OnnxExporter().build(OnnxWeights.of(old), meta, old.getProducerVersion()).toByteArray();
  }

  private ModelProto build(OnnxWeights w, Map<String, String> metadata, String version) {
    int families = (int) w.familyW().dims()[0];
    graph.input(DgaModel.INPUT, TensorProto.DataType.INT64, "batch", "max_len");
    int pooledWidth = (int) w.convIm2col().dims()[1] + (w.ngrams() == null ? 0 : (int) w.ngrams().table().dims()[1]);
    int stats = (int) w.hiddenW().dims()[1] - pooledWidth; // the dense layer's inputs beyond the pooled features
    if (stats > 0) {
      graph.input(DgaModel.INPUT_STATS, TensorProto.DataType.FLOAT, "batch", Integer.toString(stats));
    }
    graph.output(DgaModel.OUTPUT_SCORE, TensorProto.DataType.FLOAT, "batch");
    graph.output(DgaModel.OUTPUT_FAMILIES, TensorProto.DataType.FLOAT, "batch", Integer.toString(families));

    String embedding = graph.floats("embedding", w.embedding());
    String features = ConvTapTables.add(graph, w, embedding);
    if (w.ngrams() != null) {
      String padId = graph.longScalar("pad_id", ModelSpec.PAD);
      String real = graph.node("Not", new String[] {graph.node("Equal", new String[] {DgaModel.INPUT, padId})});
      String realF = graph.node("Cast", new String[] {real}, attr("to", TensorProto.DataType.FLOAT_VALUE));
      features = graph.node("Concat", new String[] {features, ngramBag(w.ngrams(), realF)}, attr("axis", 1));
    }
    if (stats > 0) {
      features = graph.node("Concat", new String[] {features, DgaModel.INPUT_STATS}, attr("axis", 1));
    }
    String h = graph.node("Relu", new String[] {graph.gemm(features, w.hiddenW(), w.hiddenB(), "hidden")});
    String logit = graph.gemm(h, w.binaryW(), w.binaryB(), "binary");
    String prob = graph.node("Sigmoid", new String[] {logit});
    String flat = graph.longs("flat_shape", -1L);
    graph.namedNode("Reshape", "score", new String[] {prob, flat}, DgaModel.OUTPUT_SCORE);
    String famLogits = graph.gemm(h, w.familyW(), w.familyB(), "family");
    graph.namedNode("Softmax", "family_softmax", new String[] {famLogits}, DgaModel.OUTPUT_FAMILIES, attr("axis", 1));

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("dgad-mesh trainer")
        .setProducerVersion(version)
        .setDomain("io.dgadmesh")
        .setDocString(w.doc())
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.proto());
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
          .setKey(e.getKey()).setValue(e.getValue()));
    }
    return model.build();
  }

  /** Masked mean of hashed n-gram embeddings; mirrors {@link DgaNetwork#ngramBuckets}. */
  private String ngramBag(OnnxWeights.Ngrams ng, String realF) {
    int n = ng.n();
    String h = null;
    String vocab = graph.longScalar("ngram_vocab", ng.vocab());
    for (int k = 0; k < n; k++) {
      // Window k of every n-gram: ids[:, k : len - (n-1-k)].
      String slice = graph.slice(DgaModel.INPUT, k, k == n - 1 ? Long.MAX_VALUE : -(n - 1 - k), "ngram_s" + k);
      h = h == null ? slice : graph.node("Add", new String[] {graph.node("Mul", new String[] {h, vocab}), slice});
    }
    String buckets = graph.longScalar("ngram_buckets", ng.buckets());
    String idx = graph.node("Mod", new String[] {h, buckets}, attr("fmod", 0));
    String table = graph.floats("ngram_table", ng.table());
    String emb = graph.node("Gather", new String[] {table, idx}, attr("axis", 0));
    String m = graph.slice(realF, 0, -(n - 1), "ngram_mask");
    String m3 = graph.node("Unsqueeze", new String[] {m, graph.axes(2)});
    String axes1 = graph.axes(1);
    String sum = graph.node("ReduceSum", new String[] {graph.node("Mul", new String[] {emb, m3}), axes1}, attr("keepdims", 0));
    String count = graph.node("ReduceSum", new String[] {m3, axes1}, attr("keepdims", 0));
    return graph.node("Div", new String[] {sum, count});
  }
}
