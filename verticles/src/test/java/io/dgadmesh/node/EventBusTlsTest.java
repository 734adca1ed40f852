package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.dgadmesh.config.ClusterConf;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeConfig.ConfigException;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.TlsConf;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.RedisServer;
import io.dgadmesh.testing.TestCerts;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered event bus over TLS (MeshNode's options, three Hazelcast members in this JVM): two
 * members with certificates from the mesh's CA exchange messages; a third that joined Hazelcast
 * (whose own protocol is plaintext) with a certificate from another CA can neither send to them
 * nor be sent to.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventBusTlsTest {

  @TempDir
  Path dir;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void close() {
    for (Vertx v : vertxes) {
      Poll.get(v.close(), 30_000);
    }
    members.forEach(HazelcastInstance::shutdown);
  }

  private Vertx member(ClusterConf cluster, TlsConf tls) throws Exception {
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(MeshNode.hazelcastConfig(cluster));
    members.add(hz);
    Vertx v = Vertx.builder().with(MeshNode.clusteredOptions(cluster, tls))
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered().await(60, TimeUnit.SECONDS);
    vertxes.add(v);
    return v;
  }

  private static ClusterConf cluster(String name, int port, String members) {
    return new ClusterConf(true, name, "127.0.0.1", port, members, 10_000, 1_000);
  }

  @Test
  void onlyMembersWithTheMeshCaExchangeMessages() throws Exception {
    TestCerts mesh = TestCerts.ca(dir, "mesh-ca");
    TestCerts other = TestCerts.ca(dir, "other-ca");
    TestCerts.Pair a = mesh.member("member-a");
    TestCerts.Pair b = mesh.member("member-b");
    TestCerts.Pair s = other.member("stranger");
    int pa = RedisServer.freePort();
    int pb = RedisServer.freePort();
    int ps = RedisServer.freePort();
    String all = "127.0.0.1:" + pa + ",127.0.0.1:" + pb + ",127.0.0.1:" + ps;
    String name = "bus-tls-" + UUID.randomUUID();

    Vertx va = member(cluster(name, pa, all), new TlsConf(a.cert().toString(), a.key().toString(), "", mesh.caCert.toString()));
    Vertx vb = member(cluster(name, pb, all), new TlsConf(b.cert().toString(), b.key().toString(), "", mesh.caCert.toString()));
    Vertx vs = member(cluster(name, ps, all), new TlsConf(s.cert().toString(), s.key().toString(), "", other.caCert.toString()));
    Poll.await(30_000, "three Hazelcast members", () -> members.get(0).getCluster().getMembers().size() == 3);

    Poll.get(va.eventBus().<String>consumer("test.a", m -> m.reply("pong from a")).completion(), 10_000);
    Poll.get(vs.eventBus().<String>consumer("test.stranger", m -> m.reply("pong from the stranger")).completion(), 10_000);
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(3_000);

    Poll.await(30_000, "b's request to a answered over TLS", () -> "pong from a".equals(
        vb.eventBus().<String>request("test.a", "ping", quick).map(m -> m.body()).otherwise(e -> null).await()));
    assertThrows(Exception.class, () -> vs.eventBus().request("test.a", "ping", quick).await(),
        "a member with another CA's certificate cannot reach a");
    assertThrows(Exception.class, () -> va.eventBus().request("test.stranger", "ping", quick).await(),
        "nor can a send to it");
    assertEquals("pong from a", vb.eventBus().<String>request("test.a", "again", quick).await().body());
  }

  @Test
  void aClusteredNodeWithTlsButNoCaIsRefused() throws Exception {
    TestCerts mesh = TestCerts.ca(dir, "mesh-ca");
    TestCerts.Pair a = mesh.member("member-a");
    var conf = NodeConfig.load(null, Map.of("DGAD_TLS_CERT", a.cert().toString(), "DGAD_TLS_KEY", a.key().toString()));
    conf.getJsonObject("cluster").put("enabled", true);
    ConfigException e = assertThrows(ConfigException.class, () -> NodeSettings.read(conf));
    assertTrue(e.getMessage().contains("tls.caPath"), e.getMessage());
    conf.getJsonObject("tls").put("caPath", mesh.caCert.toString());
    assertEquals(mesh.caCert.toString(), io.dgadmesh.tls.DoorTls.busCa(NodeSettings.read(conf).tls()));
    conf.getJsonObject("cluster").put("enabled", false);
    conf.getJsonObject("tls").put("caPath", "");
    NodeSettings.read(conf); // a lone node has no bus to trust anyone on
  }
}
