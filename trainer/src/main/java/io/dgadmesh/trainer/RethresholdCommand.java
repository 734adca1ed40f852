package io.dgadmesh.trainer;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.ModelSpec;
import io.dgadmesh.model.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dgad-train rethreshold --model IN --out OUT --data D}: sets a trained model's operating
 * points again by the current rule ({@link TrainCommand#operatingPoints}) from its scores on the
 * validation slice, without training; the network and every other metadata entry are unchanged.
 * For a model trained before the rule changed; {@code --declare-version} re-declares its version.
 */
final class RethresholdCommand {
  private RethresholdCommand() {}

  /** {@code version}: a declared version to record instead of the file's (null: keep it). */
  static void run(Path in, Path out, Path data, String version) throws Exception {
    byte[] onnx = Files.readAllBytes(in);
    List<DomainDataset.Row> validation = DomainDataset.load(data).select(DomainDataset.Row::validation);
    Map<String, Float> points;
    Map<String, Float> before;
    try (DgaModel m = DgaModel.load(onnx, 2)) {
      before = m.spec().operatingPoints();
      List<Prediction> p = Evaluation.classifyHosts(m, validation.stream().map(DomainDataset.Row::host).toList());
      List<String> units = new ArrayList<>(validation.size());
      boolean[] dga = new boolean[validation.size()];
      float[] scores = new float[validation.size()];
      for (int i = 0; i < validation.size(); i++) {
        units.add(m.encoder().unitOf(validation.get(i).host()));
        dga[i] = validation.get(i).dga();
        scores[i] = p.get(i).score();
      }
      points = TrainCommand.operatingPoints(units, dga, scores);
    }
    Map<String, String> replace = new LinkedHashMap<>(TrainCommand.pointRules());
    replace.put(ModelSpec.KEY_OPERATING_POINTS, ModelSpec.operatingPointsValue(points));
    replace.put(ModelSpec.KEY_THRESHOLD, Float.toString(points.get(ModelSpec.DEFAULT_POINT)));
    if (version != null) {
      replace.put(ModelSpec.KEY_VERSION, version);
    }
    ModelProto model = ModelProto.parseFrom(onnx);
    ModelProto.Builder b = model.toBuilder().clearMetadataProps();
    for (OnnxMl.StringStringEntryProto p : model.getMetadataPropsList()) {
      String v = replace.get(p.getKey());
      b.addMetadataProps(v == null ? p : p.toBuilder().setValue(v).build());
    }
    Files.write(out, b.build().toByteArray());
    try (DgaModel check = DgaModel.load(out, 1)) {
      System.out.printf("%s -> %s (version %s): operating points %s -> %s%n", in, out, check.spec().version(), before,
          check.spec().operatingPoints());
    }
  }
}
