package io.dgadmesh.config;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The node configuration: defaults from {@code conf/config.json} (shipped in the jar), then an
 * optional file, then environment variables (dgad's names keep working). The result is one
 * validated JsonObject whose sections are handed to the verticles as their config.
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
      Map.entry("LISTENING_PORT", "grpc.port"),
      Map.entry("LOG_LEVEL", "log.level"),
      Map.entry("DGAD_NODE_ID", "node.id"),
      Map.entry("DGAD_CLASSIFIERS", "node.classifiers"),
      Map.entry("DGAD_THRESHOLD", "classifier.threshold"),
      Map.entry("DGAD_NODE_NAME", "node.name"),
      Map.entry("DGAD_ROLES", "node.roles"),
      Map.entry("DGAD_CLUSTER_NAME", "cluster.name"),
      Map.entry("DGAD_CLUSTER_HOST", "cluster.host"),
      Map.entry("DGAD_CLUSTER_PORT", "cluster.port"),
      Map.entry("DGAD_MEMBERS", "cluster.members"),
      Map.entry("DGAD_TASK_SIZE", "jobs.taskSize"),
      Map.entry("DGAD_WEB_PORT", "web.port"),
      Map.entry("DGAD_WEB_TOKEN", "web.token"));

  /** "redis" is the old name of "worker" (the Redis door) and stays accepted. */
  public static final Set<String> ROLES = Set.of("classifier", "worker", "redis", "grpc", "web");
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "OFF");

  private NodeConfig() {}

  /** Variables whose values are secrets: an error names them but never shows the value. */
  private static final Set<String> SECRET = Set.of("REDIS_PASSWORD", "DGAD_WEB_TOKEN");

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
   * A key the defaults lack is a typo ("prot" for "port") that would silently leave the default
   * in force, so it is an error. The defaults hold every key, so they are the list of known ones.
   */
  static void checkKnown(JsonObject defaults, JsonObject given) {
    for (String section : given.fieldNames()) {
      if (!(defaults.getValue(section) instanceof JsonObject known)) {
        throw new ConfigException(section, "unknown section (known: " + String.join(", ", defaults.fieldNames()) + ")");
      }
      if (given.getValue(section) instanceof JsonObject keys) {
        for (String key : keys.fieldNames()) {
          if (!known.containsKey(key)) {
            throw new ConfigException(section + "." + key,
                "unknown key (" + section + " has: " + String.join(", ", known.fieldNames()) + ")");
          }
        }
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
    Object old = section.getValue(p[1]);
    try {
      if (old instanceof JsonArray) {
        JsonArray a = new JsonArray();
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            a.add(part.trim());
          }
        }
        section.put(p[1], a);
      } else if (old instanceof Integer || old instanceof Long) {
        section.put(p[1], Integer.parseInt(value.trim()));
      } else if (old == null || old instanceof Number) {
        // Only classifier.threshold is a fractional number (null by default: the model's own).
        section.put(p[1], Double.parseDouble(value.trim()));
      } else if (old instanceof Boolean) {
        section.put(p[1], Boolean.parseBoolean(value.trim()));
      } else {
        section.put(p[1], value);
      }
    } catch (NumberFormatException e) {
      String kind = old instanceof Integer || old instanceof Long ? "an integer" : "a number";
      throw new ConfigException(key + " (from " + source + ")", "must be " + kind);
    }
  }

  /** Throws ConfigException naming the first bad key. */
  public static void validate(JsonObject c) {
    integer(c, "node.classifiers", 1, 64);
    JsonArray roles = array(c, "node.roles");
    if (roles.isEmpty()) {
      // A node without a role deploys nothing: it would print "is up" and do nothing.
      throw new ConfigException("node.roles", "empty; a node needs at least one role (known: " + ROLES + ")");
    }
    for (Object r : roles) {
      if (!ROLES.contains(r)) {
        throw new ConfigException("node.roles", "unknown role '" + r + "' (known: " + ROLES + ")");
      }
    }
    string(c, "node.id", true);
    string(c, "node.name", true);
    bool(c, "cluster.enabled");
    string(c, "cluster.name", false);
    string(c, "cluster.host", true);
    integer(c, "cluster.port", 0, 65_535);
    String members = string(c, "cluster.members", true);
    for (String m : members.split(",")) {
      String t = m.trim();
      if (!t.isEmpty() && !t.matches("[^:\\s]+(:\\d{1,5})?")) {
        throw new ConfigException("cluster.members", "'" + t + "' is not HOST or HOST:PORT");
      }
    }
    integer(c, "cluster.failureDetectionMs", 2_000, 600_000);
    integer(c, "cluster.statsMs", 100, 60_000);
    integer(c, "jobs.taskSize", 1, 100_000);
    integer(c, "jobs.tasksPerWorker", 1, 64);
    integer(c, "jobs.taskTimeoutMs", 1_000, 3_600_000);
    integer(c, "redis.classifyTimeoutMs", 100, 600_000);
    integer(c, "classifier.maxBatch", 1, 65_536);
    integer(c, "classifier.deadlineMs", 1, 10_000);
    integer(c, "classifier.onnxThreads", 1, 256);
    bool(c, "classifier.eagerWhenIdle");
    bool(c, "classifier.publishResults");
    Object t = c.getJsonObject("classifier").getValue("threshold");
    if (t != null && !(t instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1)) {
      throw new ConfigException("classifier.threshold", "must be null (the model's own) or a number between 0 and 1, got " + t);
    }
    string(c, "redis.host", false);
    integer(c, "redis.port", 1, 65_535);
    string(c, "redis.password", true);
    integer(c, "redis.db", 0, 1_000);
    string(c, "redis.set", false);
    integer(c, "redis.popCount", 1, 5_000); // Lua unpack() stack limit
    integer(c, "redis.concurrency", 1, 256);
    bool(c, "redis.writeResultHash");
    integer(c, "redis.idleBackoffMinMs", 1, 60_000);
    integer(c, "redis.idleBackoffMaxMs", 1, 600_000);
    integer(c, "redis.errorBackoffMaxMs", 1, 600_000);
    integer(c, "redis.heartbeatMs", 100, 600_000);
    int ttl = integer(c, "redis.nodeTtlMs", 200, 3_600_000);
    if (ttl <= c.getJsonObject("redis").getInteger("heartbeatMs")) {
      throw new ConfigException("redis.nodeTtlMs", "must be larger than redis.heartbeatMs");
    }
    string(c, "redis.classifyAddress", false);
    string(c, "grpc.host", false);
    int p4 = integer(c, "grpc.port", 1, 65_535);
    int p3 = integer(c, "grpc.dgad3Port", 0, 65_535);
    if (p3 == p4) {
      throw new ConfigException("grpc.dgad3Port", "must differ from grpc.port (both dgad versions use the same method path)");
    }
    integer(c, "grpc.instances", 1, 64);
    integer(c, "grpc.coalesceMs", 1, 1_000);
    integer(c, "grpc.coalesceMax", 1, 65_536);
    integer(c, "grpc.coalesceInFlight", 1, 64);
    bool(c, "grpc.consolidateFlushes");
    integer(c, "grpc.maxMessageBytes", 1_024, 256 << 20);
    integer(c, "grpc.maxBatchNames", 1, 1_000_000);
    string(c, "web.host", false);
    integer(c, "web.port", 1, 65_535);
    String token = string(c, "web.token", true);
    if (!token.isEmpty() && (token.length() < 8 || !token.chars().allMatch(ch -> ch > 32 && ch < 127))) {
      throw new ConfigException("web.token", "must be empty (no token) or at least 8 printable characters without spaces");
    }
    integer(c, "web.maxClassify", 1, 1_000_000);
    integer(c, "web.recent", 1, 100_000);
    integer(c, "web.streamMaxPerTick", 1, 10_000);
    integer(c, "web.streamTickMs", 10, 10_000);
    integer(c, "web.queueSampleMs", 100, 600_000);
    String level = string(c, "log.level", false).toUpperCase(Locale.ROOT); // not "İNFO" in Turkish
    if (!LEVELS.contains(level)) {
      throw new ConfigException("log.level", "'" + level + "' is not one of " + LEVELS);
    }
    distinctPorts(c);
  }

  /**
   * The servers this node runs need a port each: two servers on one port would each get some of
   * its connections (Vert.x shares a port between servers). 0 is no fixed port: grpc.dgad3Port
   * off, cluster.port picked by Hazelcast. Only ports of servers this node runs are compared.
   */
  private static void distinctPorts(JsonObject c) {
    List<String> roles = roles(c);
    List<String> keys = new ArrayList<>();
    if (roles.contains("grpc")) {
      keys.addAll(List.of("grpc.port", "grpc.dgad3Port"));
    }
    if (roles.contains("web")) {
      keys.add("web.port");
    }
    if (c.getJsonObject("cluster").getBoolean("enabled")) {
      keys.add("cluster.port"); // Hazelcast's member port, in the same process
    }
    Map<Integer, String> taken = new HashMap<>();
    for (String key : keys) {
      int port = ((Number) value(c, key)).intValue();
      String other = port == 0 ? null : taken.putIfAbsent(port, key);
      if (other != null) {
        throw new ConfigException(key, port + " is also " + other + "; each server of a node needs its own port");
      }
    }
  }

  private static Object value(JsonObject c, String key) {
    String[] p = key.split("\\.");
    Object s = c.getValue(p[0]);
    if (!(s instanceof JsonObject section)) {
      throw new ConfigException(p[0], "missing section (an object)");
    }
    Object v = section.getValue(p[1]);
    if (v == null) {
      throw new ConfigException(key, "missing");
    }
    return v;
  }

  private static int integer(JsonObject c, String key, int min, int max) {
    Object v = value(c, key);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new ConfigException(key, "must be an integer, got " + v);
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + n);
    }
    return (int) n;
  }

  private static String string(JsonObject c, String key, boolean emptyOk) {
    Object v = value(c, key);
    if (!(v instanceof String s) || (!emptyOk && s.isBlank())) {
      throw new ConfigException(key, "must be a " + (emptyOk ? "" : "non-empty ") + "string, got " + v);
    }
    return s;
  }

  private static void bool(JsonObject c, String key) {
    if (!(value(c, key) instanceof Boolean)) {
      throw new ConfigException(key, "must be true or false");
    }
  }

  private static JsonArray array(JsonObject c, String key) {
    if (!(value(c, key) instanceof JsonArray a)) {
      throw new ConfigException(key, "must be a list");
    }
    return a;
  }

  /** host-random: readable in Redis, unique per process start. */
  static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The node's roles, "redis" read as "worker", without duplicates. */
  public static List<String> roles(JsonObject conf) {
    return conf.getJsonObject("node").getJsonArray("roles").stream().map(String::valueOf)
        .map(r -> r.equals("redis") ? "worker" : r).distinct().toList();
  }
}
