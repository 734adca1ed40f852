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

  /** Speed figures of the last measuring run, next to the card. */
  static final String SPEED_FILE = "speed.tsv";

  static void run(Path modelFile, Path dataDir, Path card, boolean reuseSpeed) throws Exception {
    DomainDataset data = DomainDataset.load(dataDir);
    Evaluation e;
    try (DgaModel model = DgaModel.load(modelFile, 2)) {
      e = Evaluation.run(model, data);
      Path speedFile = (card.getParent() == null ? Path.of(".") : card.getParent()).resolve(SPEED_FILE);
      BenchCommand.Figures speed;
      if (reuseSpeed && Files.exists(speedFile)) {
        speed = BenchCommand.Figures.load(Files.readString(speedFile));
        System.out.println("speed figures reused from " + speedFile + " (measured " + speed.measuredAt() + ")");
      } else {
        speed = BenchCommand.run(modelFile, BenchCommand.sampleHosts(data, 50_000));
        Files.writeString(speedFile, speed.save());
      }
      ModelCard mc = new ModelCard(model, modelFile, data, e, speed, card.getParent());
      System.out.println(mc.headline());
      BenchCommand.print(speed);
      Files.writeString(card, mc.markdown());
      System.out.println("model card written to " + card);
    }
  }
}
