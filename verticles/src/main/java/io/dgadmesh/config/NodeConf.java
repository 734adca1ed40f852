package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code node} section: who this node is and which roles it runs. stopTimeoutMs bounds a clean
 * stop (SIGTERM, an in-process restart): the doors hand back or finish what they hold, then the
 * classifiers finish their running model call; past it the node stops anyway.
 */
public record NodeConf(String id, String name, int classifiers, List<String> roles, int stopTimeoutMs) {

  /** "redis" is the old name of "worker" (the Redis door) and stays accepted. */
  public static final Set<String> ROLES = Set.of("classifier", "worker", "redis", "grpc", "web");

  /**
   * A node id names Redis keys (dgad:inflight:ID, dgad:node:ID), the cluster registry and job
   * tasks' owners, so it is kept to characters that read the same everywhere: no space, no ':'
   * (the key separator), no glob character.
   */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  static NodeConf read(Section s) {
    int classifiers = s.integer("classifiers", 1, 64);
    List<Object> given = s.list("roles").getList();
    if (given.isEmpty()) {
      // A node without a role deploys nothing: it would print "is up" and do nothing.
      throw new ConfigException("node.roles", "empty; a node needs at least one role (known: " + ROLES + ")");
    }
    for (Object r : given) {
      if (!ROLES.contains(r)) {
        throw new ConfigException("node.roles", "unknown role '" + r + "' (known: " + ROLES + ")");
      }
    }
    List<String> roles = given.stream().map(String::valueOf).map(r -> r.equals("redis") ? "worker" : r).distinct().toList();
    String id = s.stringOrEmpty("id");
    if (!id.isEmpty() && !ID.matcher(id).matches()) {
      throw new ConfigException("node.id", "'" + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
          + "' is not a node id: 1 to 64 letters, digits, '.', '_' or '-' (it names Redis keys)");
    }
    return new NodeConf(id, s.stringOrEmpty("name"), classifiers, roles, s.integer("stopTimeoutMs", 100, 600_000));
  }

  public boolean runs(String role) {
    return roles.contains(role);
  }

  /**
   * The id under which the node registers and writes; verticles deployed by class name into an
   * unclustered Vert.x without a node.id share the name "node" (in a clustered one they take the
   * id of their Vert.x: {@link NodeSettings#given(NodeSettings, io.vertx.core.json.JsonObject, io.vertx.core.Vertx)}).
   */
  public String idOrDefault() {
    return id.isEmpty() ? "node" : id;
  }
}
