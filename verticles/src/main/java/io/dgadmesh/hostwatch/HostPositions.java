package io.dgadmesh.hostwatch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source positions whose records are in one host's stored state: per stream (a Kafka topic and
 * partition), the last position applied to this host. It is written with the host's state in one
 * Redis write, so a batch delivered again after a node died between two hosts' writes skips, for
 * each host, exactly the records that host already holds. The cluster-wide mark
 * ({@code dgad:ingest:applied}) only lets a whole batch that was done be skipped at once.
 *
 * <p>Bounded: at most {@link #MAX_STREAMS} streams per host (a topic's partitions, chosen by the
 * operator, not by clients); records of further streams are applied without a mark.
 */
final class HostPositions {
  static final int MAX_STREAMS = 256;

  private final Map<String, Long> last = new LinkedHashMap<>();
  private boolean changed;

  private HostPositions() {}

  /** From the stored JSON; null, empty or unreadable JSON (written by no version of this code) is none. */
  static HostPositions read(String json) {
    HostPositions p = new HostPositions();
    if (json == null || json.isEmpty()) {
      return p;
    }
    try {
      JsonObject o = new JsonObject(json);
      for (String stream : o.fieldNames()) {
        if (o.getValue(stream) instanceof Number n && p.last.size() < MAX_STREAMS) {
          p.last.put(stream, n.longValue());
        }
      }
    } catch (DecodeException | ClassCastException e) {
      // none: the records are applied again rather than lost
    }
    return p;
  }

  /** Whether the record with this source id is in the host's state already; false without a position. */
  boolean holds(String sourceId) {
    SourcePositions.Position p = SourcePositions.of(sourceId);
    Long done = p.stream() == null ? null : last.get(p.stream());
    return done != null && p.offset() <= done;
  }

  /** Marks the record with this source id as applied to the host. */
  void add(String sourceId) {
    SourcePositions.Position p = SourcePositions.of(sourceId);
    if (p.stream() == null || (!last.containsKey(p.stream()) && last.size() >= MAX_STREAMS)) {
      return;
    }
    Long before = last.get(p.stream());
    if (before == null || p.offset() > before) {
      last.put(p.stream(), p.offset());
      changed = true;
    }
  }

  /** The JSON to store with the state, or null when nothing moved (the stored positions stay). */
  String changedJson() {
    if (!changed) {
      return null;
    }
    JsonObject o = new JsonObject();
    last.forEach(o::put);
    return o.encode();
  }
}
