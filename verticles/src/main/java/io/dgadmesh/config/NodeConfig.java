package io.dgadmesh.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The node configuration: defaults from {@code conf/config.json} (shipped in the jar), then an
 * optional file, then environment variables (dgad's names keep working). The result is one
 * validated JsonObject (the form a deployment config takes), read into typed {@link NodeSettings}
 * once per node. The layering is kept here rather than in vertx-config: it is a few lines, and the
 * errors name the key, the variable and the file that set a bad value.
 */
public final class NodeConfig {

  public static final String DEFAULTS = "/conf/config.json";

  /** Environment variable -> config key ("section.key"). dgad's names first. */
  public static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("REDIS_HOST", "redis.host"),
      Map.entry("REDIS_PORT", "redis.port"),
      Map.entry("REDIS_SET", "redis.set"),
      Map.entry("REDIS_PASSWORD", "redis.password"),
      Map.entry("REDIS_DB", "redis.db"),
      Map.entry("REDIS_URL", "redis.url"),
      Map.entry("REDIS_USER", "redis.user"),
      Map.entry("LISTENING_PORT", "grpc.port"),
      Map.entry("LOG_LEVEL", "log.level"),
      Map.entry("DGAD_NODE_ID", "node.id"),
      Map.entry("DGAD_CLASSIFIERS", "node.classifiers"),
      Map.entry("DGAD_THRESHOLD", "classifier.threshold"),
      Map.entry("DGAD_ALLOWLIST", "classifier.allowlistPath"),
      Map.entry("DGAD_HOSTS_WINDOW_MINUTES", "hosts.windowMinutes"),
      Map.entry("DGAD_HOSTS_THRESHOLD", "hosts.threshold"),
      Map.entry("DGAD_ALERTS_WEBHOOK", "alerts.webhook"),
      Map.entry("DGAD_NODE_NAME", "node.name"),
      Map.entry("DGAD_ROLES", "node.roles"),
      Map.entry("DGAD_CLUSTER_NAME", "cluster.name"),
      Map.entry("DGAD_CLUSTER_HOST", "cluster.host"),
      Map.entry("DGAD_CLUSTER_PORT", "cluster.port"),
      Map.entry("DGAD_MEMBERS", "cluster.members"),
      Map.entry("DGAD_TASK_SIZE", "jobs.taskSize"),
      Map.entry("DGAD_WEB_PORT", "web.port"),
      Map.entry("DGAD_WEB_TOKEN", "web.token"),
      Map.entry("DGAD_GRPC_TOKEN", "grpc.token"),
      Map.entry("DGAD_TLS_CERT", "tls.certPath"),
      Map.entry("DGAD_TLS_KEY", "tls.keyPath"),
      Map.entry("DGAD_TLS_CLIENT_CA", "tls.clientCaPath"),
      Map.entry("DGAD_TLS_CA", "tls.caPath"),
      Map.entry("DGAD_TLS_RELOAD_SECONDS", "tls.reloadSeconds"),
      Map.entry("DGAD_MODEL", "classifier.modelPath"),
      Map.entry("DGAD_OPERATING_POINT", "classifier.operatingPoint"),
      Map.entry("DGAD_PSL_PATH", "classifier.pslPath"),
      Map.entry("DGAD_KAFKA_BOOTSTRAP", "ingest.kafka.bootstrap"),
      Map.entry("DGAD_KAFKA_TOPIC", "ingest.kafka.topic"),
      Map.entry("DGAD_KAFKA_GROUP", "ingest.kafka.group"),
      Map.entry("DGAD_KAFKA_TLS", "ingest.kafka.tls"),
      Map.entry("DGAD_KAFKA_SASL_MECHANISM", "ingest.kafka.saslMechanism"),
      Map.entry("DGAD_KAFKA_USER", "ingest.kafka.username"),
      Map.entry("DGAD_KAFKA_PASSWORD", "ingest.kafka.password"));


  private NodeConfig() {}

  /** Variables whose values are secrets: an error names them but never shows the value. */
  private static final Set<String> SECRET = Set.of("REDIS_PASSWORD", "REDIS_URL", "DGAD_WEB_TOKEN", "DGAD_GRPC_TOKEN",
      "DGAD_KAFKA_PASSWORD");

  /** Thrown for bad configuration; the message names the offending key. */
  public static final class ConfigException extends RuntimeException {
    private final String key;
    private final String problem;

    public ConfigException(String message) {
      super(message);
      this.key = null;
      this.problem = message;
    }

    /** "key: problem". */
    public ConfigException(String key, String problem) {
      super(key + ": " + problem);
      this.key = key;
      this.problem = problem;
    }

    /** The same problem, its key followed by where the value came from: "key (from VAR=value): problem". */
    ConfigException from(String source) {
      return new ConfigException(key + " (from " + source + ")", problem);
    }
  }

  public static JsonObject defaults() {
    try (InputStream in = NodeConfig.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("no " + DEFAULTS + " on the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defaults, then {@code file} (may be null), then {@code env}; validated. */
  public static JsonObject load(Path file, Map<String, String> env) {
    JsonObject conf = defaults();
    if (file != null) {
      try {
        JsonObject given = new JsonObject(Files.readString(file));
        checkKnown(conf, given);
        merge(conf, given);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + reason(e));
      } catch (DecodeException e) {
        throw new ConfigException("config file " + file + " is not valid JSON: " + e.getMessage());
      }
    }
    Map<String, String> sources = new HashMap<>(); // key -> "VAR=value", for error messages
    for (Map.Entry<String, String> e : ENV.entrySet()) {
      String v = env.get(e.getKey());
      if (v != null && !v.isEmpty()) {
        String source = SECRET.contains(e.getKey()) ? e.getKey() : e.getKey() + "=" + v;
        sources.put(e.getValue(), source);
        set(conf, e.getValue(), v, source);
      }
    }
    try {
      validate(conf);
    } catch (ConfigException e) {
      // The variable that set the bad value is what to fix, so the message names it too.
      String source = e.key == null ? null : sources.get(e.key);
      throw source == null ? e : e.from(source);
    }
    JsonObject node = conf.getJsonObject("node");
    if (node.getString("id").isEmpty()) {
      node.put("id", defaultNodeId());
    }
    return conf;
  }

  /**
   * The configuration of a deployment by class name (a verticle, or io.dgadmesh.node.MeshVerticle,
   * deployed into a Vert.x that dgad did not start): the shipped defaults under the given JSON
   * (whole, some sections, or null), checked as a file is: an unknown section or key is an error.
   */
  public static JsonObject forDeployment(JsonObject config) {
    JsonObject conf = defaults();
    if (config != null) {
      JsonObject given = config.copy();
      checkKnown(conf, given);
      merge(conf, given);
    }
    return conf;
  }

  /**
   * The node id of one Vert.x instance that dgad did not start ({@link #defaultNodeId()}, made on
   * first use and kept in its local shared data), for verticles deployed there without a node.id.
   */
  public static String nodeIdOf(Vertx vertx) {
    return (String) vertx.sharedData().getLocalMap("dgad.node").computeIfAbsent("id", k -> defaultNodeId());
  }

  /**
   * A key the defaults lack is a typo ("prot" for "port") that would silently leave the default
   * in force, so it is an error. The defaults hold every key, so they are the list of known ones.
   */
  static void checkKnown(JsonObject defaults, JsonObject given) {
    for (String section : given.fieldNames()) {
      if (!(defaults.getValue(section) instanceof JsonObject known)) {
        throw new ConfigException(section, "unknown section (known: " + String.join(", ", defaults.fieldNames()) + ")");
      }
      if (given.getValue(section) instanceof JsonObject keys) {
        checkKnownKeys(section, known, keys);
      }
    }
  }

  /** The keys of one section, and of the objects within it ({@code ingest.kafka}). */
  private static void checkKnownKeys(String path, JsonObject known, JsonObject given) {
    for (String key : given.fieldNames()) {
      if (!known.containsKey(key)) {
        throw new ConfigException(path + "." + key,
            "unknown key (" + path + " has: " + String.join(", ", known.fieldNames()) + ")");
      }
      if (known.getValue(key) instanceof JsonObject k && given.getValue(key) instanceof JsonObject g) {
        checkKnownKeys(path + "." + key, k, g);
      }
    }
  }

  /**
   * What went wrong, in words: the message of NoSuchFileException and AccessDeniedException is
   * only the path.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  /** Deep merge: objects merge key by key, anything else replaces. */
  static void merge(JsonObject into, JsonObject from) {
    for (String k : from.fieldNames()) {
      Object v = from.getValue(k);
      if (v instanceof JsonObject o && into.getValue(k) instanceof JsonObject base) {
        merge(base, o);
      } else {
        into.put(k, v);
      }
    }
  }

  /** Sets a key from a string, typed like the default it replaces. */
  private static void set(JsonObject conf, String key, String value, String source) {
    String[] p = key.split("\\.");
    JsonObject section = conf.getJsonObject(p[0]);
    for (int i = 1; i < p.length - 1; i++) {
      section = section.getJsonObject(p[i]); // a key within an object of the section: ingest.kafka.topic
    }
    String leaf = p[p.length - 1];
    Object old = section.getValue(leaf);
    try {
      if (old instanceof JsonArray) {
        JsonArray a = new JsonArray();
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            a.add(part.trim());
          }
        }
        section.put(leaf, a);
      } else if (old instanceof Integer || old instanceof Long) {
        section.put(leaf, Integer.parseInt(value.trim()));
      } else if (old == null || old instanceof Number) {
        // A fractional number: classifier.threshold (null by default: the model's own), hosts.threshold.
        section.put(leaf, Double.parseDouble(value.trim()));
      } else if (old instanceof Boolean) {
        section.put(leaf, Boolean.parseBoolean(value.trim()));
      } else {
        section.put(leaf, value);
      }
    } catch (NumberFormatException e) {
      String kind = old instanceof Integer || old instanceof Long ? "an integer" : "a number";
      throw new ConfigException(key + " (from " + source + ")", "must be " + kind);
    }
  }

  /** Throws ConfigException naming the first bad key; the checks live in the typed sections. */
  public static void validate(JsonObject c) {
    NodeSettings.read(c);
  }

  /** host-random: readable in Redis, unique per process start, and a valid {@link NodeConf#ID}. */
  static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    return defaultNodeId(host);
  }

  /** The host's name cut to 40 characters of the id's alphabet, then 8 random hex digits. */
  static String defaultNodeId(String host) {
    String safe = host.replaceAll("[^A-Za-z0-9._-]", "-");
    return safe.substring(0, Math.min(40, safe.length())) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The node's roles, "redis" read as "worker", without duplicates. */
  public static List<String> roles(JsonObject conf) {
    return NodeConf.read(Section.of(conf, "node")).roles();
  }

  /** The typed settings of a configuration that {@link #load} returned (or changed and validated). */
  public static NodeSettings settings(JsonObject conf) {
    return NodeSettings.read(conf);
  }
}
