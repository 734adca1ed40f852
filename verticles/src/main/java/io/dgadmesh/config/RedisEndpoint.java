package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the node's Redis is and how to log in, read once from {@code redis.url} when it is set,
 * else from {@code redis.host}, {@code port}, {@code user}, {@code password} and {@code db}.
 * {@code tls} ({@code rediss://}) trusts {@code caPath} ({@code tls.caPath}), or the JVM's trust
 * store when that is empty. An empty {@code user} is Redis's {@code default} user; an empty
 * password sends no AUTH, unless a user is named (an ACL user with {@code nopass} takes any).
 *
 * <p>The password is in no message: {@link #where()} and every error leave it out.
 */
public record RedisEndpoint(boolean tls, String host, int port, String user, String password, int db, String caPath,
    boolean fromUrl, boolean credentialsFromUrl) {

  static final String URL_KEY = "redis.url";
  static final int MAX_DB = 1_000;
  private static final int DEFAULT_PORT = 6379;
  private static final String FORM = "redis://[user:password@]host[:port][/db] or rediss://... for TLS";

  /**
   * The endpoint of a {@code redis://} or {@code rediss://} URL; {@code user} and {@code password}
   * (redis.user, redis.password) count only when the URL has no credentials of its own, so a
   * password can stay in its own secret while the URL says where. Errors name redis.url and never
   * show the URL: it may hold the password.
   */
  static RedisEndpoint parse(String url, String user, String password, String caPath) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw bad("is not a URL (" + e.getReason() + "); the form is " + FORM
          + ", with characters such as @ : / % in a password percent-encoded");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("redis") || scheme.equals("rediss")) || uri.isOpaque()) {
      throw bad("must start with redis:// or rediss:// (TLS); the form is " + FORM);
    }
    if (uri.getHost() == null) {
      throw bad("names no host, or it is not valid; the form is " + FORM
          + ", with characters such as @ : / % in a password percent-encoded");
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65_535) {
      throw bad("port must be between 1 and 65535, got " + port);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw bad("takes no ?query or #fragment; the form is " + FORM);
    }
    int db = db(uri.getRawPath());
    String rawInfo = uri.getRawUserInfo();
    boolean ownCredentials = rawInfo != null && !rawInfo.isEmpty();
    if (ownCredentials) {
      int colon = rawInfo.indexOf(':');
      // "user@host" names a user alone; ":password@host" is the default user's password.
      user = decode(colon < 0 ? rawInfo : rawInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(rawInfo.substring(colon + 1));
    }
    return new RedisEndpoint(scheme.equals("rediss"), uri.getHost(), port, user, password, db, caPath, true, ownCredentials);
  }

  /** The endpoint of redis.host, port, user, password and db: plaintext, as dgad connects. */
  static RedisEndpoint of(String host, int port, String user, String password, int db, String caPath) {
    return new RedisEndpoint(false, host, port, user, password, db, caPath, false, false);
  }

  /** "/3" is database 3; no path, or "/", is 0. */
  private static int db(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return 0;
    }
    String digits = path.substring(1);
    // The path may hold part of a badly encoded password: it is not shown.
    if (!digits.matches("\\d{1,4}") || Integer.parseInt(digits) > MAX_DB) {
      throw bad("the path must be a database number between 0 and " + MAX_DB + " (/0, /3, ...)");
    }
    return Integer.parseInt(digits);
  }

  /** Percent-decoding of a URL's user information: '+' is a plus sign there, not a space. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static ConfigException bad(String problem) {
    return new ConfigException(URL_KEY, problem);
  }

  /** The Vert.x Redis client's connection string: scheme, host, port, db; credentials go separately. */
  public String connectionString() {
    return (tls ? "rediss://" : "redis://") + hostForUri() + ":" + port + "/" + db;
  }

  /** Without the password: safe to log. "rediss://" says TLS; "user@" says an ACL user. */
  public String where() {
    return (tls ? "rediss://" : "") + (user.isEmpty() ? "" : user + "@") + hostForUri() + ":" + port + "/" + db;
  }

  /** An IPv6 literal in brackets, as a URL needs it. */
  private String hostForUri() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Log in at all: a password, or a named user (whose password may be empty: nopass). */
  public boolean authenticates() {
    return !password.isEmpty() || !user.isEmpty();
  }

  /** The setting that named the database, for a message telling what to fix. */
  public String dbSetting() {
    return fromUrl ? "redis.url (REDIS_URL)" : "redis.db (REDIS_DB)";
  }

  /** The settings that gave the user and password, for a message telling what to fix. */
  public String credentialSetting() {
    if (credentialsFromUrl) {
      return "redis.url (REDIS_URL)";
    }
    return user.isEmpty() ? "redis.password (REDIS_PASSWORD)"
        : "redis.user and redis.password (REDIS_USER, REDIS_PASSWORD)";
  }

  /** Never the password: a record's own toString would print it into any log that shows settings. */
  @Override
  public String toString() {
    return "RedisEndpoint[" + where() + (password.isEmpty() ? "" : ", password set")
        + (tls && !caPath.isEmpty() ? ", CA " + caPath : "") + "]";
  }
}
