package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;

/** The {@code cluster} section: Hazelcast membership and the leader's round. */
public record ClusterConf(boolean enabled, String name, String host, int port, String members, int failureDetectionMs,
    int statsMs) {

  static ClusterConf read(Section s) {
    boolean enabled = s.bool("enabled");
    String name = s.string("name");
    String host = s.stringOrEmpty("host");
    int port = s.integer("port", 0, 65_535);
    String members = s.stringOrEmpty("members");
    for (String m : members.split(",")) {
      String t = m.trim();
      if (!t.isEmpty() && !t.matches("[^:\\s]+(:\\d{1,5})?")) {
        throw new ConfigException("cluster.members", "'" + t + "' is not HOST or HOST:PORT");
      }
    }
    return new ClusterConf(enabled, name, host, port, members, s.integer("failureDetectionMs", 2_000, 600_000),
        s.integer("statsMs", 100, 60_000));
  }
}
