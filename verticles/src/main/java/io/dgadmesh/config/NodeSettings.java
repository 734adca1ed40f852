package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration of a node, typed and validated: one record per section of
 * {@code conf/config.json}. Built once ({@link NodeConfig#load}, {@link #of}) and handed to the
 * verticles, so no verticle reads a key or repeats a default.
 */
public record NodeSettings(NodeConf node, ClassifierConf classifier, RedisConf redis, GrpcConf grpc, WebConf web,
    String logLevel, ClusterConf cluster, JobsConf jobs, HostsConf hosts,
    IngestConf ingest, TlsConf tls) {

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "OFF");

  /**
   * The settings of a complete configuration (every key present, as {@link NodeConfig#load}
   * returns); throws ConfigException naming the first bad key.
   */
  public static NodeSettings read(JsonObject conf) {
    TlsConf tls = TlsConf.read(Section.of(conf, "tls"));
    NodeSettings s = new NodeSettings(NodeConf.read(Section.of(conf, "node")),
        ClassifierConf.read(Section.of(conf, "classifier")), RedisConf.read(Section.of(conf, "redis"), tls),
        GrpcConf.read(Section.of(conf, "grpc")), WebConf.read(Section.of(conf, "web")), logLevel(conf),
        ClusterConf.read(Section.of(conf, "cluster")), JobsConf.read(Section.of(conf, "jobs")),
        HostsConf.read(Section.of(conf, "hosts"), Section.of(conf, "alerts")), IngestConf.read(conf), tls);
    s.checkDistinctPorts();
    s.checkEventBusTrust();
    return s;
  }

  /**
   * The settings of a verticle's deployment config: the shipped defaults under whatever the
   * config gives (a whole configuration, some sections, or none), validated the same way.
   */
  public static NodeSettings of(JsonObject config) {
    return read(NodeConfig.forDeployment(config));
  }

  /**
   * The typed settings a verticle was given, or those of its deployment config (deployed by class
   * name). Deployed so into a clustered Vert.x without a node.id, the verticle takes the id of its
   * Vert.x instance ({@link NodeConfig#nodeIdOf}): the verticles of one process then register and
   * write under one id, and those of two processes do not share the default "node".
   */
  public static NodeSettings given(NodeSettings given, JsonObject config, Vertx vertx) {
    if (given != null) {
      return given;
    }
    JsonObject conf = NodeConfig.forDeployment(config);
    JsonObject node = conf.getJsonObject("node");
    if (vertx.isClustered() && node.getString("id", "").isEmpty()) {
      node.put("id", NodeConfig.nodeIdOf(vertx));
    }
    return read(conf);
  }

  private static String logLevel(JsonObject conf) {
    String level = Section.of(conf, "log").string("level").toUpperCase(Locale.ROOT); // not "İNFO" in Turkish
    if (!LEVELS.contains(level)) {
      throw new ConfigException("log.level", "'" + level + "' is not one of " + LEVELS);
    }
    return level;
  }

  /**
   * TLS on a clustered node covers its event bus too, whose members are trusted by a CA alone
   * (no host names): that must be the mesh's own CA (tls.caPath, or tls.clientCaPath when one CA
   * signs nodes and clients), never the JVM's store of public CAs. See io.dgadmesh.tls.DoorTls.
   */
  private void checkEventBusTrust() {
    if (cluster.enabled() && tls.enabled() && !tls.privateCa() && !tls.clientAuth()) {
      throw new ConfigException("tls.caPath", "TLS on a clustered node needs the CA that signs the members'"
          + " certificates, for the event bus: set tls.caPath (DGAD_TLS_CA), or tls.clientCaPath"
          + " (DGAD_TLS_CLIENT_CA) when one CA signs nodes and clients");
    }
  }

  /**
   * The servers this node runs need a port each: two servers on one port would each get some of
   * its connections (Vert.x shares a port between servers). 0 is no fixed port: grpc.dgad3Port
   * off, cluster.port picked by Hazelcast. Only ports of servers this node runs are compared.
   */
  private void checkDistinctPorts() {
    List<Map.Entry<String, Integer>> ports = new ArrayList<>();
    if (node.runs("grpc")) {
      ports.add(Map.entry("grpc.port", grpc.port()));
      ports.add(Map.entry("grpc.dgad3Port", grpc.dgad3Port()));
    }
    if (node.runs("web")) {
      ports.add(Map.entry("web.port", web.port()));
    }
    if (cluster.enabled()) {
      ports.add(Map.entry("cluster.port", cluster.port())); // Hazelcast's member port, in the same process
    }
    Map<Integer, String> taken = new HashMap<>();
    for (Map.Entry<String, Integer> p : ports) {
      String other = p.getValue() == 0 ? null : taken.putIfAbsent(p.getValue(), p.getKey());
      if (other != null) {
        throw new ConfigException(p.getKey(), p.getValue() + " is also " + other + "; each server of a node needs its own port");
      }
    }
  }
}
