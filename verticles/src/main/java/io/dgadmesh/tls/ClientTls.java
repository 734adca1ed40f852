package io.dgadmesh.tls;

import io.dgadmesh.config.TlsConf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the project's own clients of a node's doors ({@code dgad classify|ingest|job --remote}),
 * from the same {@code tls} section as the node: they speak TLS when the configuration turns it on
 * for the doors ({@code tls.certPath}) or names a private CA ({@code tls.caPath},
 * {@code DGAD_TLS_CA}). They trust {@code tls.caPath}, else the JVM's trust store, and check the
 * node's host name. When the configuration holds a certificate and key, they show them if the
 * node asks for a client certificate (mTLS); the certificate then needs the clientAuth usage.
 */
public final class ClientTls {
  private ClientTls() {}

  /** Whether clients speak TLS to the doors. */
  public static boolean on(TlsConf tls) {
    return tls.enabled() || tls.privateCa();
  }

  /** "https" or "http". */
  public static String scheme(TlsConf tls) {
    return on(tls) ? "https" : "http";
  }

  /** A gRPC client's transport: TLS with ALPN (h2) when {@link #on}; {@code options} as they are otherwise. */
  public static HttpClientOptions grpc(TlsConf tls, HttpClientOptions options) {
    if (!on(tls)) {
      return options;
    }
    options.setSsl(true).setUseAlpn(true).setVerifyHost(true);
    if (tls.privateCa()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath()));
    }
    if (tls.enabled()) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
    }
    return options;
  }

  /** For the JDK's HttpClient: the same trust and client certificate as {@link #grpc}. */
  public static SSLContext jdk(TlsConf tls) throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(tls), trustManagers(tls), null);
    return ctx;
  }

  /** tls.caPath's certificates; null for the JVM's trust store. */
  private static TrustManager[] trustManagers(TlsConf tls) throws IOException, GeneralSecurityException {
    if (!tls.privateCa()) {
      return null;
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(Path.of(tls.caPath()))) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf.getTrustManagers();
  }

  /**
   * The configured certificate and key; null for none. Read by Vert.x's PEM reader (PKCS#8,
   * PKCS#1 RSA and EC keys), from the files' contents: with contents and no paths it needs no
   * Vert.x instance.
   */
  private static KeyManager[] keyManagers(TlsConf tls) throws IOException, GeneralSecurityException {
    if (!tls.enabled()) {
      return null;
    }
    PemKeyCertOptions pem = new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(Files.readAllBytes(Path.of(tls.certPath()))))
        .addKeyValue(Buffer.buffer(Files.readAllBytes(Path.of(tls.keyPath()))));
    try {
      return pem.getKeyManagerFactory(null).getKeyManagers();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new GeneralSecurityException("cannot read " + tls.certPath() + " and " + tls.keyPath() + ": " + e, e);
    }
  }
}
