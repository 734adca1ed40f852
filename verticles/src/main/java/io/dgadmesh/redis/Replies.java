package io.dgadmesh.redis;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Redis replies as plain Java values, whichever protocol (RESP2 or RESP3) shaped them. */
final class Replies {
  private Replies() {}

  /** A hash reply (HGETALL): a RESP3 map or a RESP2 flat array; empty for null or a missing key. */
  static Map<String, String> hash(Response r) {
    Map<String, String> m = new LinkedHashMap<>();
    if (r == null || r.size() == 0) {
      return m;
    }
    Set<String> keys;
    try {
      keys = r.getKeys();
    } catch (RuntimeException notAMap) {
      keys = null;
    }
    if (keys != null && !keys.isEmpty()) {
      for (String k : keys) {
        m.put(k, String.valueOf(r.get(k)));
      }
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        m.put(r.get(i).toString(), String.valueOf(r.get(i + 1)));
      }
    }
    return m;
  }

  /** A multi-bulk reply (SMEMBERS, LRANGE, ...) as strings. */
  static List<String> strings(Response r) {
    List<String> out = new ArrayList<>(r == null ? 0 : r.size());
    if (r != null) {
      for (Response e : r) {
        out.add(e.toString());
      }
    }
    return out;
  }
}
