package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One section of the configuration ("redis", "grpc", ...), read with its type and range. Every
 * error names the key as users write it ("redis.port: must be between 1 and 65535, got 70000").
 */
final class Section {
  private final String name;
  private final JsonObject values;

  private Section(String name, JsonObject values) {
    this.name = name;
    this.values = values;
  }

  static Section of(JsonObject conf, String name) {
    if (!(conf.getValue(name) instanceof JsonObject s)) {
      throw new ConfigException(name, "missing section (an object)");
    }
    return new Section(name, s);
  }

  String key(String key) {
    return name + "." + key;
  }

  private Object value(String key) {
    Object v = values.getValue(key);
    if (v == null) {
      throw new ConfigException(key(key), "missing");
    }
    return v;
  }

  int integer(String key, int min, int max) {
    Object v = value(key);
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new ConfigException(key(key), "must be an integer, got " + v);
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw new ConfigException(key(key), "must be between " + min + " and " + max + ", got " + n);
    }
    return (int) n;
  }

  double number(String key, double min, double max) {
    Object v = value(key);
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
      throw new ConfigException(key(key), "must be a number between " + min + " and " + max + ", got " + v);
    }
    return n.doubleValue();
  }

  String string(String key) {
    return string(key, false);
  }

  String stringOrEmpty(String key) {
    return string(key, true);
  }

  private String string(String key, boolean emptyOk) {
    Object v = value(key);
    if (!(v instanceof String s) || (!emptyOk && s.isBlank())) {
      throw new ConfigException(key(key), "must be a " + (emptyOk ? "" : "non-empty ") + "string, got " + v);
    }
    return s;
  }

  boolean bool(String key) {
    if (!(value(key) instanceof Boolean b)) {
      throw new ConfigException(key(key), "must be true or false");
    }
    return b;
  }

  JsonArray list(String key) {
    if (!(value(key) instanceof JsonArray a)) {
      throw new ConfigException(key(key), "must be a list");
    }
    return a;
  }

  /** A value that may be null (JSON null or absent). */
  Object nullable(String key) {
    return values.getValue(key);
  }
}
