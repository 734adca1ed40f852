package io.dgadmesh.node;

import io.dgadmesh.cluster.ClusterContext;
import io.dgadmesh.config.ClusterConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.TlsConf;
import io.dgadmesh.cluster.Membership;
import io.dgadmesh.tls.DoorTls;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;


import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One running node: a clustered Vert.x (Hazelcast, TCP-IP join, multicast off) with the
 * verticles of its roles. When the node finds it was cut off from the cluster (a pause longer
 * than failure detection, or Hazelcast merging it back after a split), it restarts in-process:
 * closes Vert.x and Hazelcast and joins again under the same node id; its Redis in-flight names
 * are re-queued by the restart (and fenced writes keep every name written once).
 */
public final class MeshNode {

  private static final Logger LOG = Logger.getLogger(MeshNode.class.getName());
  /** What closing Vert.x may take beyond stopping the verticles: the event bus and cluster manager. */
  private static final long CLOSE_AFTER_STOP_MS = 5_000;

  private final JsonObject conf;
  private final NodeSettings settings;
  private volatile Vertx vertx;
  private volatile HazelcastInstance hz;
  private volatile int restarts;
  private volatile boolean restarting;
  private volatile boolean closed;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  public MeshNode(JsonObject conf) {
    this.conf = conf;
    this.settings = NodeSettings.read(conf);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Completes when the node has been closed for good. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Starts (or restarts) the node and waits until every role is deployed. */
  public synchronized void start() throws Exception {
    ClusterConf cluster = settings.cluster();
    long started = System.currentTimeMillis();
    int attempt = restarts;
    if (cluster.enabled()) {
      hz = Hazelcast.newHazelcastInstance(hazelcastConfig(cluster));
      HazelcastInstance mine = hz;
      mine.getLifecycleService().addLifecycleListener(ev -> {
        if (ev.getState() == LifecycleEvent.LifecycleState.MERGING) {
          requestRestart("Hazelcast is merging this member back after a split");
        }
      });
      vertx = Node.builder(clusteredOptions(cluster, settings.tls())).withClusterManager(new HazelcastClusterManager(mine))
          .buildClustered().await(60, TimeUnit.SECONDS);
      UnhandledExceptions.install(vertx);
      ClusterContext.install(vertx, new ClusterContext(Membership.of(mine), started, attempt, this::requestRestart));
    } else {
      vertx = Node.vertx();
      ClusterContext.install(vertx, new ClusterContext(
          Membership.alone(settings.node().id()), started, attempt, why -> { }));
    }
    Node.deploy(vertx, conf).await(120, TimeUnit.SECONDS);
  }

  /** The clustered Vert.x's options: the event bus on cluster.host, over TLS when the doors are. */
  static VertxOptions clusteredOptions(ClusterConf cluster, TlsConf tls) {
    VertxOptions options = new VertxOptions();
    EventBusOptions eb = options.getEventBusOptions();
    String host = host(cluster);
    if (!host.isEmpty()) {
      eb.setHost(host);
    }
    // TLS between members, and only members with a certificate from the mesh's CA (DoorTls).
    // Hazelcast's own member protocol stays plaintext: its encryption is not in the open-source
    // edition, so the cluster network must be one of the mesh's own (see README, Security).
    DoorTls.eventBus(tls, eb);
    return options;
  }

  static Config hazelcastConfig(ClusterConf cluster) {
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(cluster.name());
    // vertx-hazelcast reads its node id from this member attribute when given an instance.
    cfg.getMemberAttributeConfig().setAttribute("__vertx.nodeId", java.util.UUID.randomUUID().toString());
    long detectS = Math.max(2, cluster.failureDetectionMs() / 1000);
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "jdk");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(detectS));
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(cluster.port());
    net.setPortAutoIncrement(cluster.port() == 0);
    String host = host(cluster);
    if (!host.isEmpty()) {
      net.getInterfaces().setEnabled(true).addInterface(host);
      cfg.setProperty("hazelcast.local.localAddress", host);
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (String m : cluster.members().split(",")) {
      if (!m.isBlank()) {
        tcp.addMember(m.trim());
      }
    }
    return cfg;
  }

  /** cluster.host; "" or "auto": let Hazelcast pick the address (containers). */
  static String host(ClusterConf cluster) {
    String h = cluster.host();
    return h.equals("auto") ? "" : h;
  }

  /** Asks for an in-process restart (once at a time); logged with the reason. */
  public void requestRestart(String why) {
    synchronized (this) {
      if (restarting || closed) {
        return;
      }
      restarting = true;
    }
    LOG.warning("node " + settings.node().id() + ": " + why + "; restarting to rejoin cleanly");
    Thread t = new Thread(() -> {
      try {
        stopNow(false);
        restarts++;
        start();
        LOG.info("node " + settings.node().id() + " rejoined the cluster (restart " + restarts + ")");
      } catch (Exception e) {
        LOG.severe("restart failed: " + e + "; exiting so a supervisor can start the node again");
        done.completeExceptionally(e);
      } finally {
        restarting = false;
      }
    }, "dgad-restart");
    t.setDaemon(false);
    t.start();
  }

  /**
   * Closes Vert.x, which stops the verticles in order within node.stopTimeoutMs (see Node): doors,
   * then classifiers (each closes its model only after its last call returned), then the mesh.
   * The rest of the close (event bus, cluster manager) gets a few seconds more.
   */
  private void stopNow(boolean graceful) {
    Vertx v = vertx;
    HazelcastInstance h = hz;
    if (v != null) {
      try {
        v.close().await(settings.node().stopTimeoutMs() + CLOSE_AFTER_STOP_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warning("Vert.x did not close cleanly: " + e);
      }
    }
    if (h != null && h.getLifecycleService().isRunning()) {
      if (graceful) {
        h.shutdown();
      } else {
        // A member that was cut off cannot hand its partitions over: do not wait for it.
        h.getLifecycleService().terminate();
      }
    }
  }

  /** Stops the node for good. */
  public void close() {
    synchronized (this) {
      closed = true;
    }
    stopNow(true);
    done.complete(null);
  }

  public int restarts() {
    return restarts;
  }
}
