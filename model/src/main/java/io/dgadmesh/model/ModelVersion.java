package io.dgadmesh.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which model made a verdict: the version the trainer wrote into the file
 * ({@link ModelSpec#KEY_VERSION}, e.g. {@code 1.0.0+d3517216}) and the first
 * {@link #HASH_HEX} hex digits of the SHA-256 of the file's bytes, as
 * {@code <declared>@<hash>}. The declared part says what the trainer meant; the hash makes two
 * different files two different versions even when a retrained or edited file kept the declared
 * one. Computed once when a model is loaded.
 */
public record ModelVersion(String declared, String contentHash) {

  /** 12 hex digits (48 bits): no two model files of one deployment share them by chance. */
  public static final int HASH_HEX = 12;

  public static ModelVersion of(String declared, byte[] onnx) {
    return new ModelVersion(declared, contentHash(onnx));
  }

  /** The first {@link #HASH_HEX} hex digits of the SHA-256 of {@code bytes}. */
  public static String contentHash(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java has SHA-256
    }
  }

  /** {@code <declared>@<contentHash>}: the one string results, metrics and the cluster view carry. */
  public String id() {
    return declared + "@" + contentHash;
  }

  @Override
  public String toString() {
    return id();
  }
}
