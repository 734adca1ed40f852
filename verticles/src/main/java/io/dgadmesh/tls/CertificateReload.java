package io.dgadmesh.tls;

import io.dgadmesh.config.TlsConf;
import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Puts a renewed certificate in place on a door without a restart. Certificates from an ACME
 * client or cert-manager are replaced every few weeks, in the same files. Every
 * {@code tls.reloadSeconds}, the door reads {@code tls.certPath}, {@code tls.keyPath} and
 * {@code tls.clientCaPath} off the event loop. When their bytes have changed, and a second look one
 * period later finds the same bytes, it hands that content to each of its servers
 * ({@link HttpServer#updateSSLOptions}). The second look is there because renewals write the
 * certificate and the key one after the other (certbot moves two links, for example), and a key
 * put in place beside the wrong certificate would fail handshakes rather than be refused here.
 *
 * <p>New connections get the new certificate, and open ones keep theirs. Content that Vert.x
 * refuses (a file that is not PEM, for example) leaves the certificate in force as it was, and is
 * logged once. The clustered event bus keeps the certificate it started with. One instance
 * watches the servers of one door.
 */
public final class CertificateReload {

  private static final Logger LOG = Logger.getLogger(CertificateReload.class.getName());

  /**
   * What the files held when read: their bytes, a digest of all of them, and the first certificate
   * parsed (null when the JDK cannot read it; Vert.x is the judge of that), all made off the event loop.
   */
  private record Snapshot(byte[] cert, byte[] key, byte[] clientCa, byte[] digest, X509Certificate first) {}

  private final Vertx vertx;
  private final TlsConf tls;
  private final String door;
  /** The door's tag on the expiry gauge: "web" or "grpc". */
  private final String metric;
  private final List<Served> servers = new ArrayList<>();
  /** The digest of the files in force; written on the event loop of the door's verticle. */
  private byte[] inForce;
  /** Changed content seen once: it goes into force if the next look finds it unchanged. */
  private byte[] pending;
  private byte[] refused;
  /** Why the files could not be read at the last look, if they could not. */
  private String unreadable;
  private long timer = -1;
  private boolean stopped;

  /** A server and the TLS options it was started with (ALPN for gRPC among them). */
  private record Served(HttpServer server, ServerSSLOptions started) {}

  private CertificateReload(Vertx vertx, TlsConf tls, String door, String metric) {
    this.vertx = vertx;
    this.tls = tls;
    this.door = door;
    this.metric = metric;
  }

  /**
   * Reads the files as the door starts, before its servers load them. A change between the two
   * reads makes one reload more, never one fewer. The expiry of the certificate goes to the door's
   * gauge. Without TLS this completes at once, and the reload is inert.
   */
  public static Future<CertificateReload> before(Vertx vertx, TlsConf tls, String door, String metric) {
    CertificateReload r = new CertificateReload(vertx, tls, door, metric);
    if (!tls.enabled()) {
      return Future.succeededFuture(r);
    }
    return vertx.executeBlocking(() -> read(tls)).map(s -> {
      r.inForce = s.digest();
      r.expiry(s);
      return r;
    });
  }

  /** The expiry gauge of the door, from the certificate in {@code s} (left as it was if unreadable). */
  private void expiry(Snapshot s) {
    X509Certificate c = s.first();
    if (c != null) {
      NodeMetrics.certificateExpiry(metric, c.getNotAfter().toInstant().getEpochSecond());
    }
  }

  /** Watches {@code server}, which listens with {@code started} (a copy is kept). */
  public CertificateReload watch(HttpServer server, ServerSSLOptions started) {
    if (tls.reloads() && started != null) {
      servers.add(new Served(server, started.copy()));
      if (timer < 0) {
        timer = vertx.setPeriodic(tls.reloadSeconds() * 1000L, id -> check());
      }
    }
    return this;
  }

  public void stop() {
    stopped = true; // a look under way must not touch servers that are closing
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * One look at the files. The result is true when a renewed certificate went into force. It is
   * false when nothing changed, or when the change was seen for the first time. It is also false
   * when Vert.x refused the new content: the old certificate stays, and the content is logged once.
   */
  public Future<Boolean> check() {
    return vertx.executeBlocking(() -> read(tls)).onFailure(e -> {
      // A renewal tool may delete and write again: the next look will tell; a lasting problem is logged once.
      String why = e.toString();
      if (!why.equals(unreadable)) {
        unreadable = why;
        LOG.warning(() -> door + ": cannot read the TLS files to look for a renewal; the certificate in force stays: " + why);
      }
    }).compose(s -> {
      unreadable = null;
      if (stopped || Arrays.equals(s.digest(), inForce) || Arrays.equals(s.digest(), refused)) {
        pending = null;
        return Future.succeededFuture(false);
      }
      if (!Arrays.equals(s.digest(), pending)) {
        pending = s.digest(); // in force at the next look, if it stays the same
        return Future.succeededFuture(false);
      }
      pending = null;
      List<Future<Boolean>> updates = new ArrayList<>();
      for (Served served : servers) {
        updates.add(served.server().updateSSLOptions(renewed(served.started(), s), true));
      }
      return Future.all(updates).map(v -> {
        inForce = s.digest();
        refused = null;
        expiry(s);
        LOG.info(() -> door + ": TLS certificate renewed from " + tls.certPath() + " (" + describe(s.first()) + ")");
        return true;
      }).recover(e -> {
        refused = s.digest();
        LOG.warning(() -> door + ": the TLS files changed, but their content was refused, so the certificate in force"
            + " stays (" + tls.certPath() + ", " + tls.keyPath() + "): " + e.getMessage());
        return Future.succeededFuture(false);
      });
    });
  }

  /** The options a server started with, with the files' new content in place of their paths. */
  private ServerSSLOptions renewed(ServerSSLOptions started, Snapshot s) {
    ServerSSLOptions o = started.copy()
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(s.cert())).setKeyValue(Buffer.buffer(s.key())));
    if (tls.clientAuth()) { // client authentication stays REQUIRED, as the server started (DoorTls)
      o.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(s.clientCa())));
    }
    return o;
  }

  private static Snapshot read(TlsConf tls) throws IOException, NoSuchAlgorithmException {
    byte[] cert = Files.readAllBytes(Path.of(tls.certPath()));
    byte[] key = Files.readAllBytes(Path.of(tls.keyPath()));
    byte[] ca = tls.clientAuth() ? Files.readAllBytes(Path.of(tls.clientCaPath())) : new byte[0];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : new byte[][] {cert, key, ca}) {
      sha.update(Integer.toString(part.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(part);
    }
    return new Snapshot(cert, key, ca, sha.digest(), certificate(cert));
  }

  /** The first certificate's subject and expiry, for the log. */
  private static String describe(X509Certificate c) {
    return c == null ? "not readable as X.509 here" : c.getSubjectX500Principal().getName() + ", valid until "
        + c.getNotAfter().toInstant();
  }

  /** The first certificate of a PEM chain; null when the JDK cannot read it (Vert.x is the judge of that). */
  private static X509Certificate certificate(byte[] pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    } catch (CertificateException | RuntimeException e) {
      return null;
    }
  }
}
