package io.dgadmesh.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.io.InputStream;
import java.nio.file.Files;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test certificates work end to end: a Vert.x TLS server that a JDK client verifies by host name. */
class TestCertsTest {

  static SSLContext trusting(Path caCert) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void aServerCertificateIsTrustedThroughItsCaAndNotWithoutIt(@TempDir Path dir) throws Exception {
    TestCerts ca = TestCerts.ca(dir, "test-ca");
    TestCerts.Pair server = ca.server("node");
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer s = Poll.get(vertx.createHttpServer(new HttpServerOptions().setSsl(true)
              .setKeyCertOptions(new PemKeyCertOptions().setCertPath(server.cert().toString()).setKeyPath(server.key().toString())))
          .requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1"), 10_000);
      URI uri = URI.create("https://localhost:" + s.actualPort() + "/");
      HttpResponse<String> r = HttpClient.newBuilder().sslContext(trusting(ca.caCert)).build()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("ok", r.body());
      assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
    } finally {
      Poll.get(vertx.close(), 10_000);
    }
  }
}
