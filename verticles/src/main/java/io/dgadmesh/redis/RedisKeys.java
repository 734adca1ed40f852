package io.dgadmesh.redis;

/**
 * Redis keys of dgad-mesh besides dgad's own (the todo set and one plain key per name). Only the
 * store's classes name them; tools outside the mesh read them as documented in the README. All
 * are under {@link io.dgadmesh.config.RedisConf#OWN_KEYS}, where redis.set may not be.
 *
 * <pre>
 * dgad:nodes                set     node ids with a Redis door (or a leader) registered
 * dgad:node:&lt;id&gt;             string  a node's heartbeat, expiring after redis.nodeTtlMs
 * dgad:inflight:&lt;id&gt;         set     names a node has popped and not yet written
 * dgad:result:&lt;name&gt;         hash    score, family, family_score, model, point, node, time, writes
 * dgad:invalid               set     names that are not host names
 * dgad:invalid:&lt;name&gt;        string  why
 * dgad:stats, dgad:leader    string  the leader's latest dgad.stats and its node id (expiring)
 * dgad:jobs, dgad:jobs:active, dgad:job:&lt;id&gt;...   batch jobs (see {@link JobStore})
 * </pre>
 */
final class RedisKeys {
  private RedisKeys() {}

  static final String NODES = "dgad:nodes";
  static final String INVALID = "dgad:invalid";
  static final String STATS = "dgad:stats";
  static final String LEADER = "dgad:leader";
  static final String JOBS = "dgad:jobs";
  static final String ACTIVE_JOBS = "dgad:jobs:active";

  static String inflight(String nodeId) {
    return "dgad:inflight:" + nodeId;
  }

  static String heartbeat(String nodeId) {
    return "dgad:node:" + nodeId;
  }

  static String result(String name) {
    return "dgad:result:" + name;
  }

  static String invalidReason(String name) {
    return "dgad:invalid:" + name;
  }

  static String job(String id) {
    return "dgad:job:" + id;
  }

  static String jobNames(String id) {
    return job(id) + ":names";
  }

  static String jobTasks(String id) {
    return job(id) + ":tasks";
  }

  static String jobResult(String id, int task) {
    return job(id) + ":result:" + task;
  }
}
