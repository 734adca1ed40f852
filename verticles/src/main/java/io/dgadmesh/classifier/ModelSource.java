package io.dgadmesh.classifier;

import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.SuffixList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of one model file and the suffix list to read host names with, each read once:
 * classifier.modelPath ({@code DGAD_MODEL}) or, when that is empty, the model shipped in the jar;
 * classifier.pslPath ({@code DGAD_PSL_PATH}) or, when that is empty, the list shipped with the
 * model. Every session opened from one source has one version and one list, even if the files
 * change on disk meanwhile: a classifier instance that is replaced serves what the others serve,
 * and new files are taken only by a reload. Reading and opening block. Public: {@code dgad hosts}
 * opens its model the way a node does.
 */
public final class ModelSource {

  private final byte[] onnx;
  private final String origin;
  private final SuffixList suffixes;

  private ModelSource(byte[] onnx, String origin, SuffixList suffixes) {
    this.onnx = onnx;
    this.origin = origin;
    this.suffixes = suffixes;
  }

  /** Blocking. Fails with the reason in words (no such file, not readable, not a suffix list) and the path. */
  public static ModelSource read(ClassifierConf conf) {
    SuffixList suffixes = SuffixList.forSetting("classifier.pslPath", conf.pslPath());
    String path = conf.modelPath();
    if (path.isEmpty()) {
      return new ModelSource(DgaModel.defaultBytes(), "the model shipped in the jar", suffixes);
    }
    try {
      return new ModelSource(Files.readAllBytes(Path.of(path)), path, suffixes);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("cannot read the model " + path + ": no such file", e);
    } catch (IOException | SecurityException e) {
      throw new IllegalStateException("cannot read the model " + path + ": " + e, e);
    }
  }

  /**
   * A new session judging at the model's operating point {@code point}, or at the operator's
   * {@code threshold} when one is set (null: the point's own; results then name the point
   * {@value DgaModel#OPERATOR_POINT}), that has passed its probe ({@link DgaModel#check}).
   * Blocking. A file that is not a dgad model, does not run, was trained with another suffix list
   * or lacks the point fails here with the reason and the file's name; nothing stays open then.
   * The point is checked even when a threshold replaces its number: a configuration naming a point
   * the model lacks is a mistake to report, not to paper over.
   */
  public DgaModel open(int threads, String point, Double threshold) {
    DgaModel m;
    try {
      m = DgaModel.load(onnx, threads, suffixes);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot use " + origin + ": " + e.getMessage(), e);
    }
    try {
      try {
        m.usePoint(point);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("classifier.operatingPoint (DGAD_OPERATING_POINT) is '" + point + "', but "
            + e.getMessage(), e);
      }
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
  public String origin() {
    return origin;
  }

  /** The suffix list host names are read with. */
  public SuffixList suffixes() {
    return suffixes;
  }
}
