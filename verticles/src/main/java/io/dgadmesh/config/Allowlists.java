package io.dgadmesh.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded allowlists by path. Settings are read once per node, but a verticle deployed by class
 * name reads its own, and a node holds several classifiers: they share one copy of an unchanged
 * file instead of each reading and holding it.
 */
final class Allowlists {
  private record Key(String path, FileTime modified, long size) {}

  private static final ConcurrentHashMap<Key, Allowlist> LOADED = new ConcurrentHashMap<>();

  private Allowlists() {}

  static Allowlist load(String path) {
    if (path == null || path.isBlank()) {
      return LOADED.computeIfAbsent(new Key("", null, 0), k -> Allowlist.load(""));
    }
    Key key;
    try {
      Path p = Path.of(path);
      key = new Key(p.toAbsolutePath().toString(), Files.getLastModifiedTime(p), Files.size(p));
    } catch (IOException | RuntimeException e) {
      return Allowlist.load(path); // fails with the error that names the path
    }
    // One entry per path: a changed file replaces the old copy rather than adding to the map.
    LOADED.keySet().removeIf(k -> k.path().equals(key.path()) && !k.equals(key));
    return LOADED.computeIfAbsent(key, k -> Allowlist.load(path));
  }
}
