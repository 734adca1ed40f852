package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import java.util.Map;

/**
 * One name's answer as the Redis door stores it, and as the result lookup reads it back: dgad's
 * plain key {@code name -> "DGA" | "ok"}; the hash {@code dgad:result:<name>} with score, family
 * ("" when none), family_score, model (the version of the model that judged the name), point (the
 * operating point that judged it), node, time (and a count of writes); for a name that is not a host
 * name, {@code dgad:invalid:<name> -> reason}. Writing and reading sit together so the format has
 * one owner; {@link RedisScripts#WRITE} lays the arguments out in Redis.
 */
final class StoredResult {
  private StoredResult() {}

  static final String DGA = "DGA";
  static final String OK = "ok";
  /** The label argument that marks a refused name for the write script. */
  private static final String INVALID = "!";

  /** Appends one name's seven write-script arguments: key, label, score or reason, family, family score, model, point. */
  static void addWriteArgs(Request write, byte[] key, Bus.Result r) {
    write.arg(key);
    if (r.ok()) {
      write.arg(r.isDga() ? DGA : OK).arg(Float.toString(r.score()))
          .arg(r.family() == null ? "" : r.family()).arg(Float.toString(r.familyScore()))
          .arg(r.model() == null ? "" : r.model()).arg(r.point() == null ? "" : r.point());
    } else {
      write.arg(INVALID).arg(r.error()).arg("").arg("").arg("").arg("");
    }
  }

  /** True for a label the door writes: any other value under a name is someone else's key. */
  static boolean isVerdict(String label) {
    return DGA.equals(label) || OK.equals(label);
  }

  /**
   * The lookup's answer: {domain, label, is_dga} and, when the hash was written
   * (redis.writeResultHash), score, family (null when none), family_score, model (null when the
   * hash has none: written before model versions), point (null when the hash has none: written
   * before operating points), node and time.
   */
  static JsonObject toJson(String name, String label, Map<String, String> hash) {
    JsonObject j = new JsonObject().put("domain", name).put("label", label).put("is_dga", DGA.equals(label));
    if (!hash.isEmpty()) {
      String family = hash.get("family");
      j.put("score", num(hash, "score")).put("family", family == null || family.isEmpty() ? null : family)
          .put("family_score", num(hash, "family_score")).put("model", emptyAsNull(hash.get("model")))
          .put("point", emptyAsNull(hash.get("point")))
          .put("node", hash.get("node"))
          .put("time", hash.get("time"));
    }
    return j;
  }

  private static String emptyAsNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Double num(Map<String, String> hash, String field) {
    String s = hash.get(field);
    try {
      return s == null ? null : Double.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
