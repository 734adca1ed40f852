package io.dgadmesh.redis;

import io.dgadmesh.config.RedisEndpoint;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.redis.client.Response;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * How every failed call of {@link RedisStore} and {@link JobStore} ends: a message fit for a
 * client ("Redis did not answer", "Redis refused the request"), which callers may show (the web
 * role answers 503 with it). Redis's own text (key types, script lines, server settings) is not
 * in the message: {@link RedisCalls} logs it, and the store's own code reads it through
 * {@link #redisError()}.
 */
public final class RedisUnavailable extends RuntimeException {

  /** Why a call failed, as a caller may act on it. */
  public enum Kind {
    /** No answer: Redis is down, unreachable, or the connection broke. Worth a retry later. */
    NO_ANSWER("Redis did not answer"),
    /** Redis answered with an error: retrying the same request gets the same answer. */
    REFUSED("Redis refused the request"),
    /** This node's connections to Redis are all busy and too many calls wait for one. */
    BUSY("too many Redis requests are waiting on this node"),
    /**
     * The TLS handshake refused Redis's certificate (not signed by a trusted CA, or not naming
     * the host): retrying gets the same answer until the certificate or the settings change.
     */
    UNTRUSTED("Redis's TLS certificate was not accepted");

    private final String message;

    Kind(String message) {
      this.message = message;
    }
  }

  private final Kind kind;
  private final String redisError;

  private RedisUnavailable(Kind kind, String redisError) {
    super(kind.message, null, false, false); // thousands in an outage: no stack trace
    this.kind = kind;
    this.redisError = redisError;
  }

  /** The failure of a call, classified; a RedisUnavailable stays as it is. */
  static RedisUnavailable of(Throwable cause) {
    if (cause instanceof RedisUnavailable u) {
      return u;
    }
    String text = String.valueOf(cause.getMessage());
    if (cause instanceof ConnectionPoolTooBusyException) {
      return new RedisUnavailable(Kind.BUSY, text);
    }
    String certificate = certificateProblem(cause);
    if (certificate != null) {
      // Vert.x says only "Failed to create SSL connection"; the reason is deeper in the chain.
      return new RedisUnavailable(Kind.UNTRUSTED, certificate);
    }
    // An error reply of the server (ErrorType, in the client's impl package) is a Response; the
    // client makes some of its own for a broken connection or reply.
    boolean refused = cause instanceof Response && !text.startsWith("CONNECTION_CLOSED") && !text.startsWith("ILLEGAL_STATE");
    return new RedisUnavailable(refused ? Kind.REFUSED : Kind.NO_ANSWER, text);
  }

  /** The message of a certificate's refusal in the chain of causes, or null if there is none. */
  private static String certificateProblem(Throwable cause) {
    for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return String.valueOf(t.getMessage());
      }
    }
    return null;
  }

  public Kind kind() {
    return kind;
  }

  /** Redis's own text (or the client's): for logs and for the store's checks, never for clients. */
  String redisError() {
    return redisError;
  }

  /** True for Redis's error reply of this code ("WRONGTYPE", "NOSCRIPT", ...). */
  boolean is(String code) {
    return kind == Kind.REFUSED && redisError.startsWith(code + " ");
  }

  /**
   * What an operator must change when Redis refuses the connection itself (SELECT of a database
   * the server does not have, a wrong user or password, an ACL user lacking a permission) or
   * this node refuses Redis's TLS certificate, in
   * words naming the setting; null for any other failure. Such a refusal does not pass by itself,
   * unlike an outage.
   */
  String setupProblem(RedisEndpoint server) {
    String where = server.where();
    if (kind == Kind.UNTRUSTED) {
      return "tls.caPath (DGAD_TLS_CA): Redis at " + where + " showed a TLS certificate this node does not accept ("
          + redisError + "); it must be signed by the CA of tls.caPath (without one, by a CA of the JVM's trust store)"
          + " and name the host " + server.host();
    }
    if (kind != Kind.REFUSED) {
      return null;
    }
    String e = redisError.toLowerCase(Locale.ROOT);
    if (e.contains("db index is out of range")) {
      return server.dbSetting() + ": Redis at " + where + " has no database " + server.db()
          + " (a server has 16, numbered 0-15, unless its 'databases' setting says otherwise)";
    }
    if (e.startsWith("wrongpass") || e.startsWith("noauth") || e.contains("invalid password")
        || e.contains("without any password configured") || e.contains("but no password is set")
        || e.contains("invalid username-password pair")) {
      return server.credentialSetting() + ": Redis at " + where + " refused the "
          + (server.user().isEmpty() ? "password" : "user '" + server.user() + "' with that password")
          + (server.authenticates() ? "" : " (none is set)");
    }
    if (e.startsWith("noperm")) {
      // Redis's text names the command or key: in the log (RedisCalls), not here.
      return "redis.user: the Redis user '" + (server.user().isEmpty() ? "default" : server.user()) + "' at " + where
          + " lacks an ACL permission the node needs (see the log): give it every key and command,"
          + " e.g. ACL SETUSER <user> on ><password> ~* &* +@all";
    }
    return null;
  }
}
