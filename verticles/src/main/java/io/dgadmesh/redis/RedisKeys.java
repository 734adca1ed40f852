package io.dgadmesh.redis;

/** Redis keys of dgad-mesh besides dgad's own (the todo set and one plain key per name). */
public final class RedisKeys {
  private RedisKeys() {}

  public static final String NODES = "dgad:nodes";
  public static final String INVALID = "dgad:invalid";

  public static String inflight(String nodeId) {
    return "dgad:inflight:" + nodeId;
  }

  public static String heartbeat(String nodeId) {
    return "dgad:node:" + nodeId;
  }

  public static String result(String name) {
    return "dgad:result:" + name;
  }

  public static String invalidReason(String name) {
    return "dgad:invalid:" + name;
  }
}
