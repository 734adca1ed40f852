package io.dgadmesh.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The benign-list names the trainer leaves out: registrable domains that the list's sources
 * carry but that are generated names (found by scoring the benign training rows and inspecting the
 * most DGA-like; each line gives its reason). Lines: {@code name  reason}; {@code #} comments.
 */
final class BenignDrop {

  private BenignDrop() {}

  static Set<String> read(Path file) {
    Set<String> names = new LinkedHashSet<>();
    if (file == null || file.toString().isEmpty() || !Files.isRegularFile(file)) {
      return names;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        String[] parts = s.split("\\s+", 2);
        if (parts.length < 2) {
          throw new IllegalArgumentException(file + ": '" + parts[0] + "' has no reason; every dropped name needs one");
        }
        names.add(parts[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return names;
  }
}
