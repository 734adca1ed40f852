package io.dgadmesh.trainer;

import java.nio.file.Path;

/** {@code dgad-train evaluate}: placeholder until the evaluator lands. */
final class EvaluateCommand {
  private EvaluateCommand() {}

  static void run(Path model, Path data, Path card) {
    throw new UnsupportedOperationException("not yet");
  }
}
