package io.dgadmesh.cli;

import io.dgadmesh.config.NodeConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgad node}: a clustered node. Its options go over the configuration, which is validated
 * again; they are strings so that a bad value gets the configuration's message, naming the key.
 */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Runs a clustered node (Vert.x over Hazelcast, TCP-IP join) until it is killed.")
final class NodeCommand extends ConfiguredCommand {

  @Option(names = "--roles", paramLabel = "ROLE,...", description = "worker (alias redis), classifier, grpc, web (node.roles)")
  private String roles;

  @Option(names = "--name", paramLabel = "NAME", description = "this node's name (node.name; default: its id)")
  private String name;

  @Option(names = "--cluster-host", paramLabel = "HOST", description = "Hazelcast's address (cluster.host; auto: Hazelcast picks one)")
  private String clusterHost;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "Hazelcast's port (cluster.port; 0: Hazelcast picks one)")
  private String clusterPort;

  @Option(names = "--members", paramLabel = "H[:P],...", description = "the members to join over TCP-IP (cluster.members)")
  private String members;

  @Override
  protected void override(JsonObject conf) {
    JsonObject node = conf.getJsonObject("node");
    JsonObject cluster = conf.getJsonObject("cluster");
    if (roles != null) {
      JsonArray list = new JsonArray();
      for (String part : roles.split(",")) {
        if (!part.isBlank()) {
          list.add(part.trim());
        }
      }
      node.put("roles", list);
    }
    if (name != null) {
      node.put("name", name);
    }
    if (clusterHost != null) {
      cluster.put("host", clusterHost);
    }
    if (clusterPort != null) {
      try {
        cluster.put("port", Integer.parseInt(clusterPort));
      } catch (NumberFormatException e) {
        throw new NodeConfig.ConfigException("cluster.port (from --cluster-port)",
            "must be an integer, got '" + clusterPort + "'");
      }
    }
    if (members != null) {
      cluster.put("members", members);
    }
    cluster.put("enabled", true);
    NodeConfig.validate(conf);
  }

  @Override
  protected int run(JsonObject conf) throws Exception {
    return Main.node(conf);
  }

  @Override
  boolean keepsRunning() {
    return true;
  }
}
