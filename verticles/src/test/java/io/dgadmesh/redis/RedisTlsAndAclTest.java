package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.classifier.ClassifierVerticle;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeConfig.ConfigException;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.TestCerts;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real redis-server with a TLS port (certificate of a private CA) beside its plaintext one, and
 * an ACL user: rediss:// with tls.caPath, redis.url's and REDIS_USER's credentials, and the clear
 * failures of a missing CA, a plaintext client on the TLS port and a wrong password.
 */
class RedisTlsAndAclTest {

  @TempDir
  static Path dir;
  private static TestCerts certs;
  private static RedisServer server;
  private static int tlsPort;
  private Vertx vertx;

  @BeforeAll
  static void startRedis() throws Exception {
    certs = TestCerts.ca(dir, "redis-test-ca");
    TestCerts.Pair cert = certs.server("redis");
    tlsPort = RedisServer.freePort();
    // The plaintext port stays for the test's own setup and checks (RedisServer.command).
    server = RedisServer.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", cert.cert().toString(),
        "--tls-key-file", cert.key().toString(), "--tls-ca-cert-file", certs.caCert.toString(),
        "--tls-auth-clients", "no", "--bind", "127.0.0.1 127.0.0.2");
    assertEquals("+OK", server.command("ACL SETUSER dgad on >s3cret ~* &* +@all"));
    assertEquals("+OK", server.command("ACL SETUSER noscripts on >s3cret ~* &* +@all -@scripting"));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    server.close();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    Poll.get(vertx.close(), 30_000);
  }

  private static NodeSettings settings(String url, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    if (url != null) {
      env.put("REDIS_URL", url);
    }
    env.put("REDIS_SET", "todo_tls");
    env.put("DGAD_CLASSIFIERS", "1");
    return NodeSettings.read(NodeConfig.load(null, env));
  }

  private static Map<String, String> trustingTheCa() {
    return Map.of("DGAD_TLS_CA", certs.caCert.toString());
  }

  /** "PONG" through a store of these settings, or "failed / " the failure's message " / " its setup problem. */
  private String ping(NodeSettings s) {
    RedisStore store = RedisStore.create(vertx, s.redis(), RedisStore.Pool.DEFAULT);
    try {
      Poll.get(store.ping(), 20_000);
      return "PONG";
    } catch (IllegalStateException e) {
      assertInstanceOf(RedisUnavailable.class, e.getCause());
      return "failed / " + e.getCause().getMessage() + " / " + store.setupProblem(e.getCause());
    } finally {
      Poll.get(store.close(), 10_000);
    }
  }

  @Test
  void theRedisDoorLabelsANameOverTlsAsAnAclUser() {
    NodeSettings s = settings("rediss://dgad:s3cret@localhost:" + tlsPort + "/0", trustingTheCa());
    assertEquals("rediss://dgad@localhost:" + tlsPort + "/0", s.redis().where());
    Poll.get(vertx.deployVerticle(new ClassifierVerticle(s)), 60_000);
    Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(s), new DeploymentOptions()), 30_000);
    assertEquals(":1", server.command("SADD todo_tls google.com"));
    // dgad's label "ok", as its RESP header ("$2": two bytes) on the plaintext port.
    Poll.await(20_000, "google.com labelled through the TLS port", () -> "$2".equals(server.command("GET google.com")));
    assertTrue(Readiness.of(vertx).problems().isEmpty(), Readiness.of(vertx).problems().toString());
  }

  @Test
  void theCertificatesNameIsChecked() {
    // The CA is trusted, but the certificate names localhost and 127.0.0.1, not 127.0.0.2.
    String failed = ping(settings("rediss://dgad:s3cret@127.0.0.2:" + tlsPort, trustingTheCa()));
    assertTrue(failed.startsWith("failed / Redis's TLS certificate was not accepted / tls.caPath (DGAD_TLS_CA): Redis at"
        + " rediss://dgad@127.0.0.2:" + tlsPort + "/0 showed a TLS certificate this node does not accept (No subject"
        + " alternative names matching IP address 127.0.0.2 found)"), failed);
    assertEquals("PONG", ping(settings("rediss://dgad:s3cret@127.0.0.1:" + tlsPort, trustingTheCa())));
  }

  @Test
  void withoutTheCaTheServerIsNotTrustedAndTheDoorDoesNotStart() {
    NodeSettings s = settings("rediss://dgad:s3cret@localhost:" + tlsPort, Map.of());
    String failed = ping(s);
    assertTrue(failed.startsWith("failed / Redis's TLS certificate was not accepted / tls.caPath (DGAD_TLS_CA): Redis at"
        + " rediss://dgad@localhost:" + tlsPort + "/0 showed a TLS certificate this node does not accept (PKIX path"
        + " building failed"), failed);
    assertTrue(failed.endsWith("it must be signed by the CA of tls.caPath (without one, by a CA of the JVM's trust store)"
        + " and name the host localhost"), failed);
    Exception e = assertThrows(IllegalStateException.class,
        () -> Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(s)), 30_000));
    assertInstanceOf(ConfigException.class, e.getCause());
    assertTrue(e.getCause().getMessage().startsWith("tls.caPath (DGAD_TLS_CA): Redis at rediss://dgad@localhost:"),
        e.getCause().getMessage());
  }

  @Test
  void aPlaintextClientOnTheTlsPortFails() {
    String failed = ping(settings("redis://dgad:s3cret@localhost:" + tlsPort, trustingTheCa()));
    assertTrue(failed.startsWith("failed / Redis did not answer"), failed);
  }

  @Test
  void aWrongPasswordNamesTheSettingButNotThePassword() {
    String failed = ping(settings("redis://dgad:wr0ng@127.0.0.1:" + server.port(), Map.of()));
    assertEquals("failed / Redis refused the request / redis.url (REDIS_URL): Redis at dgad@127.0.0.1:" + server.port()
        + "/0 refused the user 'dgad' with that password", failed);
    // The door's start stops on it: waiting cannot fix a password.
    NodeSettings s = settings(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(server.port()),
        "REDIS_USER", "dgad", "REDIS_PASSWORD", "wr0ng"));
    Exception e = assertThrows(IllegalStateException.class,
        () -> Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(s)), 30_000));
    assertInstanceOf(ConfigException.class, e.getCause());
    assertEquals("redis.user and redis.password (REDIS_USER, REDIS_PASSWORD): Redis at dgad@127.0.0.1:" + server.port()
        + "/0 refused the user 'dgad' with that password", e.getCause().getMessage());
    assertFalse(e.getCause().getMessage().contains("wr0ng"));
  }

  @Test
  void aUserWithoutAPermissionTheDoorNeedsStopsItsStart() {
    NodeSettings s = settings("redis://noscripts:s3cret@127.0.0.1:" + server.port(), Map.of());
    Exception e = assertThrows(IllegalStateException.class,
        () -> Poll.get(vertx.deployVerticle(new RedisWorkerVerticle(s)), 30_000));
    assertInstanceOf(ConfigException.class, e.getCause());
    assertTrue(e.getCause().getMessage().startsWith("redis.user: the Redis user 'noscripts' at noscripts@127.0.0.1:"
        + server.port() + "/0 lacks an ACL permission the node needs"), e.getCause().getMessage());
  }

  @Test
  void dgadsVariablesWithRedisUser() {
    NodeSettings s = settings(null, Map.of("REDIS_HOST", "127.0.0.1", "REDIS_PORT", Integer.toString(server.port()),
        "REDIS_USER", "dgad", "REDIS_PASSWORD", "s3cret"));
    assertEquals("PONG", ping(s));
  }
}
