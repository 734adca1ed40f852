package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.TlsConf;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.TestCerts;
import io.dgadmesh.tls.ClientTls;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the gRPC ports (tls.certPath, tls.keyPath): both ports speak TLS and nothing else, with
 * ALPN h2 as gRPC clients require; with tls.clientCaPath only clients with a certificate from that
 * CA get through; the connection cap and the idle timeout still hold.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcTlsTest {

  private static final List<Domain> GOOGLE = List.of(Domain.newBuilder().setFqdn("google.com").build());

  @TempDir
  Path dir;
  private TestCerts ca;
  private TestCerts.Pair server;
  private GrpcTestNode node;
  private int dgad3Port;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void certificates() throws Exception {
    ca = TestCerts.ca(dir, "mesh-ca");
    server = ca.server("node");
  }

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private void start(String id, Consumer<JsonObject> more) throws Exception {
    dgad3Port = RedisServer.freePort();
    node = GrpcTestNode.start(id, conf -> {
      conf.getJsonObject("grpc").put("dgad3Port", dgad3Port);
      conf.getJsonObject("tls").put("certPath", server.cert().toString()).put("keyPath", server.key().toString());
      more.accept(conf);
    });
  }

  /** A gRPC client over TLS trusting {@code trusted}, showing {@code cert} (null: none). */
  private GrpcClient tlsClient(Path trusted, TestCerts.Pair cert) {
    HttpClientOptions o = new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(trusted.toString()));
    if (cert != null) {
      o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString()));
    }
    return GrpcClient.client(node.vertx, o);
  }

  private static <Req, Resp> GrpcStatus status(GrpcClient client, int port, ServiceMethod<Resp, Req> method, List<Req> messages) {
    return GrpcCalls.call(client, port, method, messages).map(GrpcCalls.Call::status)
        .otherwise(GrpcStatus.UNAVAILABLE).await(); // no answer at all: the connection failed
  }

  @Test
  void bothPortsSpeakTlsOnlyWithAlpnH2() throws Exception {
    start("tls", conf -> { });
    // The project's own client options (ClientTls), as dgad classify --remote builds them.
    GrpcClient tls = GrpcClient.client(node.vertx, ClientTls.grpc(new TlsConf("", "", "", ca.caCert.toString()),
        new HttpClientOptions()));
    GrpcCalls.Call<Domain> answer = GrpcCalls.call(tls, node.port, GrpcVerticleTest.DGAD4, GOOGLE).await();
    assertEquals(GrpcStatus.OK, answer.status(), answer.message());
    assertEquals("google.com", answer.replies().get(0).getFqdn());
    assertEquals(GrpcStatus.OK, status(tls, dgad3Port, GrpcVerticleTest.DGAD3,
        List.of(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn("google.com").build())));
    assertEquals(GrpcStatus.OK, status(tls, node.port, GrpcVerticleTest.HEALTH, List.of(HealthCheckRequest.getDefaultInstance())));

    GrpcClient plain = GrpcClient.client(node.vertx);
    assertNotEquals(GrpcStatus.OK, status(plain, node.port, GrpcVerticleTest.DGAD4, GOOGLE), "plaintext on the 4.x port");
    assertNotEquals(GrpcStatus.OK, status(plain, dgad3Port, GrpcVerticleTest.DGAD3,
        List.of(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn("google.com").build())), "plaintext on the 3.x port");
    GrpcClient untrusting = tlsClient(TestCerts.ca(dir, "other-ca").caCert, null);
    assertNotEquals(GrpcStatus.OK, status(untrusting, node.port, GrpcVerticleTest.DGAD4, GOOGLE),
        "a client that does not trust the node's CA");

    // What grpc-java, grpc-go and grpcurl insist on: h2 chosen by ALPN, and the host name checked.
    for (int port : List.of(node.port, dgad3Port)) {
      assertEquals("CN=node", h2Subject(port), "port " + port);
    }
  }

  @Test
  void withAClientCaOnlyClientsWithItsCertificatesGetThrough() throws Exception {
    start("mtls", conf -> conf.getJsonObject("tls").put("clientCaPath", ca.caCert.toString()));
    assertNotEquals(GrpcStatus.OK, status(tlsClient(ca.caCert, null), node.port, GrpcVerticleTest.DGAD4, GOOGLE),
        "no client certificate");
    TestCerts stranger = TestCerts.ca(dir, "stranger-ca");
    assertNotEquals(GrpcStatus.OK, status(tlsClient(ca.caCert, stranger.client("stranger")), node.port,
        GrpcVerticleTest.DGAD4, GOOGLE), "a client certificate from another CA");
    GrpcClient known = tlsClient(ca.caCert, ca.client("client"));
    assertEquals(GrpcStatus.OK, status(known, node.port, GrpcVerticleTest.DGAD4, GOOGLE));
    assertEquals(GrpcStatus.OK, status(known, dgad3Port, GrpcVerticleTest.DGAD3,
        List.of(io.dgadmesh.grpc.dgad3.Domain.newBuilder().setFqdn("google.com").build())));
  }

  @Test
  void theConnectionCapStillCountsSocketsThatNeverShakeHands() throws Exception {
    start("tls-cap", conf -> conf.getJsonObject("grpc").put("maxConnections", 2).put("idleTimeoutSeconds", 0));
    GrpcClient tls = tlsClient(ca.caCert, null);
    List<Socket> silent = List.of(connect(node.port), connect(node.port));
    assertNotEquals(GrpcStatus.OK, status(tls, node.port, GrpcVerticleTest.DGAD4, GOOGLE), "past the cap");
    silent.get(0).close();
    Poll.await(10_000, "a TLS call answered once a place is free",
        () -> status(tls, node.port, GrpcVerticleTest.DGAD4, GOOGLE) == GrpcStatus.OK);
  }

  @Test
  void anIdleTlsConnectionIsStillClosed() throws Exception {
    start("tls-idle", conf -> conf.getJsonObject("grpc").put("idleTimeoutSeconds", 1));
    try (SSLSocket s = (SSLSocket) ClientTls.jdk(new TlsConf("", "", "", ca.caCert.toString())).getSocketFactory()
        .createSocket("127.0.0.1", node.port)) {
      s.startHandshake();
      long t0 = System.nanoTime();
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      try {
        while (in.read() >= 0) {
          // a GOAWAY may come before the close
        }
      } catch (SocketTimeoutException open) {
        throw new AssertionError("an idle TLS connection still open after 10 s");
      } catch (IOException reset) {
        // closed all the same
      }
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(waitedMs >= 500, "closed after " + waitedMs + " ms, before the idle timeout");
    }
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    return s;
  }

  /**
   * A renewed certificate written over the files is shown on both gRPC ports to new connections,
   * still with h2 chosen by ALPN and the host name checked; calls go on being answered.
   */
  @Test
  void aRenewedCertificateIsServedOnBothPortsWithoutARestart() throws Exception {
    java.nio.file.Path cert = dir.resolve("door.crt");
    java.nio.file.Path key = dir.resolve("door.key");
    TestCerts.renew(server, cert, key);
    start("tls-reload", conf -> conf.getJsonObject("tls").put("certPath", cert.toString()).put("keyPath", key.toString())
        .put("reloadSeconds", 1));
    for (int port : List.of(node.port, dgad3Port)) {
      assertEquals("CN=node", h2Subject(port));
    }
    TestCerts.renew(ca.server("renewed"), cert, key);
    for (int port : List.of(node.port, dgad3Port)) {
      Poll.await(20_000, "the renewed certificate on port " + port, () -> h2Subject(port).equals("CN=renewed"));
    }
    assertEquals(GrpcStatus.OK, status(tlsClient(ca.caCert, null), node.port, GrpcVerticleTest.DGAD4, GOOGLE));
  }

  /** The subject shown to a new connection that asks for h2 and checks the host name; fails unless h2 is chosen. */
  private String h2Subject(int port) {
    try (SSLSocket s = (SSLSocket) ClientTls.jdk(new TlsConf("", "", "", ca.caCert.toString())).getSocketFactory()
        .createSocket("localhost", port)) {
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      p.setEndpointIdentificationAlgorithm("HTTPS");
      s.setSSLParameters(p);
      s.startHandshake();
      if (!"h2".equals(s.getApplicationProtocol())) {
        throw new IllegalStateException("ALPN chose '" + s.getApplicationProtocol() + "' on port " + port);
      }
      return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
          .getName();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no TLS connection to port " + port + ": " + e, e);
    }
  }
}
