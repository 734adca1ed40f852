package io.dgadmesh.classifier;

import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.model.DgaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of one model file, read once: classifier.modelPath ({@code DGAD_MODEL}) or, when that
 * is empty, the model shipped in the jar. Every session opened from one source has one version,
 * even if the file changes on disk meanwhile: a classifier instance that is replaced serves what
 * the others serve, and a new file is taken only by a reload. Reading and opening block.
 */
final class ModelSource {

  private final byte[] onnx;
  private final String origin;

  private ModelSource(byte[] onnx, String origin) {
    this.onnx = onnx;
    this.origin = origin;
  }

  /** Blocking. Fails with the reason in words (no such file, not readable). */
  static ModelSource read(ClassifierConf conf) {
    String path = conf.modelPath();
    if (path.isEmpty()) {
      return new ModelSource(DgaModel.defaultBytes(), "the model shipped in the jar");
    }
    try {
      return new ModelSource(Files.readAllBytes(Path.of(path)), path);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("cannot read the model " + path + ": no such file", e);
    } catch (IOException | SecurityException e) {
      throw new IllegalStateException("cannot read the model " + path + ": " + e, e);
    }
  }

  /**
   * A new session, with the operator's threshold when one is set (null: the model's own), that has
   * passed its probe ({@link DgaModel#check}). Blocking. A file that is not a dgad model, or does
   * not run, fails here with the reason and the file's name; nothing stays open then.
   */
  DgaModel open(int threads, Double threshold) {
    DgaModel m;
    try {
      m = DgaModel.load(onnx, threads);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot use " + origin + ": " + e.getMessage(), e);
    }
    try {
      if (threshold != null) {
        m.overrideThreshold(threshold.floatValue());
      }
      return m.check();
    } catch (RuntimeException e) {
      m.close();
      throw new IllegalStateException("cannot use " + origin + ": " + e.getMessage(), e);
    }
  }

  /** Where the bytes came from: a path, or the shipped model. */
  String origin() {
    return origin;
  }
}
