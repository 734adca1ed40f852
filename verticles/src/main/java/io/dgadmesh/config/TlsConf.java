package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code tls} section. {@code certPath} and {@code keyPath} (PEM) turn on TLS, and TLS only,
 * on both gRPC ports, the web port and the clustered event bus. {@code clientCaPath} (PEM) also
 * requires client certificates signed by that CA on those ports (mTLS). {@code caPath} (PEM) is a
 * private CA the node trusts as a client: for Redis ({@code rediss://}) and Kafka. Every path is
 * checked at start: a node told to use TLS must not come up plaintext because of a typo.
 * {@code reloadSeconds}: how often the doors look for a renewed certificate, key or client CA in
 * those files and put it in place without a restart (0: never; the event bus keeps the one it
 * started with).
 */
public record TlsConf(String certPath, String keyPath, String clientCaPath, String caPath, int reloadSeconds) {

  /** A client's settings (the CLI's, a test's): a client reloads nothing. */
  public TlsConf(String certPath, String keyPath, String clientCaPath, String caPath) {
    this(certPath, keyPath, clientCaPath, caPath, 0);
  }

  static TlsConf read(Section s) {
    String cert = s.stringOrEmpty("certPath");
    String key = s.stringOrEmpty("keyPath");
    String clientCa = s.stringOrEmpty("clientCaPath");
    String ca = s.stringOrEmpty("caPath");
    if (cert.isEmpty() != key.isEmpty()) {
      throw new ConfigException(s.key(cert.isEmpty() ? "certPath" : "keyPath"),
          "TLS needs both a certificate and its key (tls.certPath and tls.keyPath, DGAD_TLS_CERT and DGAD_TLS_KEY)");
    }
    if (!clientCa.isEmpty() && cert.isEmpty()) {
      throw new ConfigException(s.key("clientCaPath"), "client certificates need TLS on the doors: set tls.certPath and tls.keyPath too");
    }
    readable(s, "certPath", cert);
    readable(s, "keyPath", key);
    readable(s, "clientCaPath", clientCa);
    readable(s, "caPath", ca);
    return new TlsConf(cert, key, clientCa, ca, s.integer("reloadSeconds", 0, 86_400));
  }

  private static void readable(Section s, String key, String path) {
    if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
      throw new ConfigException(s.key(key), "cannot read " + path);
    }
  }

  /** TLS on the node's own doors (gRPC, web, event bus). */
  public boolean enabled() {
    return !certPath.isEmpty();
  }

  /** Client certificates required on the doors. */
  public boolean clientAuth() {
    return !clientCaPath.isEmpty();
  }

  /** The doors look for renewed files now and then. */
  public boolean reloads() {
    return enabled() && reloadSeconds > 0;
  }

  /** A private CA to trust for Redis and Kafka; else the JVM's trust store. */
  public boolean privateCa() {
    return !caPath.isEmpty();
  }
}
