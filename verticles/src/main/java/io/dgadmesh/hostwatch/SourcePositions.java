package io.dgadmesh.hostwatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where ingested records were read, for sources that can deliver a record twice (Kafka, at least
 * once): an id {@code kafka:<topic>/<partition>/<offset>[#i]} names a stream (topic and partition)
 * and a position in it. The host verticle keeps, per stream, the last position whose records are
 * in the hosts' state; a record at or before it was applied already and is skipped, so a batch
 * read again after a consumer died counts nothing twice. Ids of another shape have no position.
 */
final class SourcePositions {
  /** A record's stream and position; null stream when the id has none. */
  record Position(String stream, long offset) {}

  private SourcePositions() {}

  static Position of(String id) {
    if (id == null) {
      return new Position(null, -1);
    }
    int hash = id.indexOf('#');
    String base = hash >= 0 ? id.substring(0, hash) : id;
    int slash = base.lastIndexOf('/');
    if (slash <= 0 || slash == base.length() - 1) {
      return new Position(null, -1);
    }
    try {
      return new Position(base.substring(0, slash), Long.parseLong(base.substring(slash + 1)));
    } catch (NumberFormatException e) {
      return new Position(null, -1);
    }
  }

  /** The highest position of each stream among these ids. */
  static Map<String, Long> highest(List<String> ids) {
    Map<String, Long> out = new HashMap<>();
    for (String id : ids) {
      Position p = of(id);
      if (p.stream() != null) {
        out.merge(p.stream(), p.offset(), Math::max);
      }
    }
    return out;
  }
}
