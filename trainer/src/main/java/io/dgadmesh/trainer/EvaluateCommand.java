package io.dgadmesh.trainer;

import io.dgadmesh.model.DgaModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code dgad-train evaluate --model F --data D}: figures of the ONNX model on the test and
 * unseen splits, speed on this machine; prints the headline table and rewrites the model card.
 */
final class EvaluateCommand {
  private EvaluateCommand() {}

  static void run(Path modelFile, Path dataDir, Path card) throws Exception {
    DomainDataset data = DomainDataset.load(dataDir);
    Evaluation e;
    try (DgaModel model = DgaModel.load(modelFile, 2)) {
      e = Evaluation.run(model, data);
      BenchCommand.Figures speed = BenchCommand.run(modelFile, BenchCommand.sampleHosts(data, 50_000));
      ModelCard mc = new ModelCard(model, modelFile, data, e, speed, card.getParent());
      System.out.println(mc.headline());
      BenchCommand.print(speed);
      Files.writeString(card, mc.markdown());
      System.out.println("model card written to " + card);
    }
  }
}
