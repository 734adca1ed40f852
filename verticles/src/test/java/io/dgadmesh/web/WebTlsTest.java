package io.dgadmesh.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.TlsConf;
import io.dgadmesh.testing.TestCerts;
import io.dgadmesh.testing.TestNode;
import io.dgadmesh.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Level;
import javax.net.ssl.SSLSocket;
import io.dgadmesh.testing.LogCapture;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.tls.CertificateReload;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.vertx.core.json.JsonObject;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the web port: TLS only (a plaintext request gets no answer), HSTS on every answer, the
 * token still guards the API; with tls.clientCaPath only clients with a certificate from that CA
 * are answered, health included.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebTlsTest {

  private static final String TOKEN = "web-token-for-tests";

  @TempDir
  Path dir;
  private TestCerts ca;
  private TestNode node;

  @BeforeEach
  void certificates() throws Exception {
    ca = TestCerts.ca(dir, "mesh-ca");
  }

  @AfterEach
  void close() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private void start(Consumer<JsonObject> tls) throws Exception {
    TestCerts.Pair server = ca.server("node");
    node = TestNode.start("web-tls", conf -> {
      conf.getJsonObject("tls").put("certPath", server.cert().toString()).put("keyPath", server.key().toString());
      conf.getJsonObject("web").put("token", TOKEN);
      tls.accept(conf.getJsonObject("tls"));
    });
  }

  /** A JDK client trusting the test CA and showing {@code cert} (null: none), built as the CLI builds its own. */
  private HttpClient client(TestCerts.Pair cert) throws Exception {
    TlsConf tls = cert == null ? new TlsConf("", "", "", ca.caCert.toString())
        : new TlsConf(cert.cert().toString(), cert.key().toString(), "", ca.caCert.toString());
    return HttpClient.newBuilder().sslContext(ClientTls.jdk(tls)).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> get(HttpClient client, String scheme, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + node.webPort + path))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theWebPortSpeaksTlsOnly() throws Exception {
    start(tls -> { });
    HttpClient trusting = client(null);
    HttpResponse<String> live = get(trusting, "https", "/health/live", null);
    assertEquals(200, live.statusCode());
    assertTrue(live.headers().firstValue("Strict-Transport-Security").isPresent(), live.headers().toString());
    assertEquals(401, get(trusting, "https", "/api/cluster", null).statusCode(), "the token still guards the API");
    assertEquals(200, get(trusting, "https", "/api/cluster", TOKEN).statusCode());

    assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), "http", "/health/live", null),
        "plaintext on the TLS port");
    assertThrows(SSLHandshakeException.class, () -> get(HttpClient.newHttpClient(), "https", "/health/live", null),
        "a client that does not trust the node's CA");
  }

  @Test
  void withAClientCaOnlyClientsWithItsCertificatesAreAnswered() throws Exception {
    start(tls -> tls.put("clientCaPath", ca.caCert.toString()));
    assertThrows(IOException.class, () -> get(client(null), "https", "/health/live", null), "no client certificate");
    TestCerts stranger = TestCerts.ca(dir, "stranger-ca");
    assertThrows(IOException.class, () -> get(client(stranger.client("stranger")), "https", "/health/live", null),
        "a client certificate from another CA");
    HttpClient known = client(ca.client("operator"));
    assertEquals(200, get(known, "https", "/health/live", null).statusCode());
    assertEquals(200, get(known, "https", "/api/cluster", TOKEN).statusCode());
  }

  /**
   * A renewed certificate written over the files goes into force for new connections
   * (tls.reloadSeconds). Files whose content Vert.x refuses are logged once, and the certificate
   * in force stays.
   */
  @Test
  void aRenewedCertificateInTheSameFilesIsServedWithoutARestart() throws Exception {
    Path cert = dir.resolve("door.crt");
    Path key = dir.resolve("door.key");
    TestCerts.renew(ca.server("first"), cert, key);
    node = TestNode.start("web-tls-reload", conf -> {
      conf.getJsonObject("tls").put("certPath", cert.toString()).put("keyPath", key.toString()).put("reloadSeconds", 1);
      conf.getJsonObject("web").put("token", TOKEN);
    });
    assertEquals("CN=first", served(node.webPort));
    assertEquals(servedExpiry(node.webPort), metricExpiry(), "the expiry gauge of the certificate in force");

    try (LogCapture log = LogCapture.of(CertificateReload.class.getName(), Level.WARNING)) {
      List<String> warnings = log.messages();
      Files.writeString(cert, "not a certificate\n");
      Poll.await(20_000, "the unreadable certificate refused", () -> !warnings.isEmpty());
      assertEquals("CN=first", served(node.webPort), "the certificate in force stays");
      assertEquals(200, get(client(null), "https", "/health/live", null).statusCode());

      TestCerts.renew(ca.server("second"), cert, key);
      Poll.await(20_000, "the renewed certificate served", () -> served(node.webPort).equals("CN=second"));
      assertEquals(200, get(client(null), "https", "/health/live", null).statusCode());
      assertEquals(servedExpiry(node.webPort), metricExpiry(), "the expiry gauge follows the renewal");
      assertEquals(1, warnings.size(), "the refused content logged once: " + warnings);
      assertTrue(warnings.get(0).contains("the certificate in force stays"), warnings.get(0));
    }
  }

  /** With client certificates required, a renewal keeps requiring them, from the same CA. */
  @Test
  void aRenewalKeepsRequiringClientCertificates() throws Exception {
    Path cert = dir.resolve("door.crt");
    Path key = dir.resolve("door.key");
    TestCerts.renew(ca.server("first"), cert, key);
    node = TestNode.start("web-mtls-reload", conf -> conf.getJsonObject("tls").put("certPath", cert.toString())
        .put("keyPath", key.toString()).put("clientCaPath", ca.caCert.toString()).put("reloadSeconds", 1));
    TestCerts.Pair operator = ca.client("operator");
    TlsConf shown = new TlsConf(operator.cert().toString(), operator.key().toString(), "", ca.caCert.toString());
    assertEquals("CN=first", served(node.webPort, shown));

    TestCerts.renew(ca.server("second"), cert, key);
    Poll.await(20_000, "the renewed certificate served", () -> served(node.webPort, shown).equals("CN=second"));
    assertThrows(IOException.class, () -> get(client(null), "https", "/health/live", null), "no client certificate");
    assertEquals(200, get(client(operator), "https", "/health/live", null).statusCode());
  }

  /** The subject of the certificate a new TLS connection to {@code port} is shown. */
  private String served(int port) {
    return served(port, new TlsConf("", "", "", ca.caCert.toString()));
  }

  /** The same, for a client with the settings {@code client} (its certificate, if any). */
  private String served(int port, TlsConf client) {
    return servedCertificate(port, client).getSubjectX500Principal().getName();
  }

  private long servedExpiry(int port) {
    return servedCertificate(port, new TlsConf("", "", "", ca.caCert.toString())).getNotAfter().toInstant()
        .getEpochSecond();
  }

  private X509Certificate servedCertificate(int port, TlsConf client) {
    try (SSLSocket s = (SSLSocket) ClientTls.jdk(client).getSocketFactory().createSocket("localhost", port)) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    } catch (Exception e) {
      throw new IllegalStateException("no TLS connection to port " + port + ": " + e, e);
    }
  }

  /** dgad_tls_certificate_expiry_seconds{door="web"} as /metrics shows it. */
  private long metricExpiry() throws Exception {
    String metrics = get(client(null), "https", "/metrics", TOKEN).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("dgad_tls_certificate_expiry_seconds{door=\"web\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no web certificate expiry in /metrics");
  }
}
