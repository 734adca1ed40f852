package io.dgadmesh.hostwatch;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.config.HostsConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.hosts.HostEvidence;
import io.dgadmesh.hosts.HostReport;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.hosts.HostState;
import io.dgadmesh.hosts.HostStateJson;
import io.dgadmesh.hosts.NameScope;
import io.dgadmesh.hosts.NameVerdict;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.redis.HostStore;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The live path of per-host detection: answers {@link IngestBus#INGEST}. For each batch of DNS
 * records it judges the distinct names (through the classifiers), then for each client host reads
 * its state from Redis, adds the records, drops evidence older than the window, scores it, and
 * writes it back with a version check; it replies only then, so a source may acknowledge its input
 * on the reply. A host that turns infected raises an alert: on the event bus
 * ({@link IngestBus#ALERTS}), in the Redis stream {@code dgad:alerts}, and to the webhook.
 *
 * <p>Bounded: at most {@code hosts.maxPendingBatches} batches at once per node (more get
 * {@link Bus#OVERLOADED}, and their source retries), each of at most {@link IngestBus#MAX_RECORDS}.
 */
public final class HostWatchVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(HostWatchVerticle.class.getName());
  private static final int SAVE_ATTEMPTS = 8;
  private static final long COMMON_REFRESH_MS = 10_000;

  private final NodeSettings given;
  private HostsConf conf;
  private HostScore scorer;
  private RedisStore store;
  private HostStore hosts;
  private NameVerdicts verdicts;
  private AlertWebhook webhook;
  private MessageConsumer<JsonObject> consumer;
  private volatile Set<String> common = Set.of();
  private int pending;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public HostWatchVerticle() {
    this(null);
  }

  public HostWatchVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    conf = settings.hosts();
    scorer = HostScore.atThreshold(conf.threshold());
    store = RedisStore.create(vertx, settings.redis(), RedisStore.Pool.DEFAULT);
    hosts = store.hosts();
    verdicts = new NameVerdicts(vertx.eventBus(), settings.classifier().allowlist(), conf.verdictCache());
    webhook = new AlertWebhook(vertx, conf.webhook());
    refreshCommon();
    vertx.setPeriodic(COMMON_REFRESH_MS, t -> refreshCommon());
    consumer = vertx.eventBus().consumer(IngestBus.INGEST, this::ingest);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> Future.join(store.close(), webhook.close()));
  }

  private void refreshCommon() {
    hosts.commonUnits().onSuccess(c -> common = c); // on failure the last set stays: it only sharpens scores
  }

  private void ingest(Message<JsonObject> msg) {
    List<DnsRecord> records;
    List<String> sources;
    try {
      records = IngestBus.records(msg.body());
      sources = IngestBus.sources(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(Bus.BAD_REQUEST, e.getMessage());
      return;
    }
    if (pending >= conf.maxPendingBatches()) {
      msg.fail(Bus.OVERLOADED, "host evidence is behind: " + pending + " batches are being written and the limit"
          + " is hosts.maxPendingBatches = " + conf.maxPendingBatches() + "; retry later");
      return;
    }
    pending++;
    unapplied(records, sources).compose(fresh -> process(fresh, records.size() - fresh.size()))
        .compose(reply -> hosts.markApplied(SourcePositions.highest(sources)).map(reply))
        .onComplete(ar -> {
      pending--;
      if (ar.succeeded()) {
        msg.reply(ar.result().toJson());
      } else if (ar.cause() instanceof io.vertx.core.eventbus.ReplyException r && r.failureCode() == Bus.OVERLOADED) {
        msg.fail(Bus.OVERLOADED, r.getMessage());
      } else {
        LOG.warning("ingest: a batch of " + records.size() + " records failed: " + ar.cause());
        msg.fail(Bus.OVERLOADED, "host evidence could not be written: " + ar.cause().getMessage() + "; retry later");
      }
    });
  }

  /** A record and the id of where its source read it (null when the source gives none). */
  private record Sourced(DnsRecord record, String source) {}

  /**
   * The records not yet in the hosts' state: a source that delivers at least once (Kafka) may send
   * a record again after a consumer died; its position says whether it was applied. This is the
   * cluster-wide check of whole batches; each host's own positions decide for records the node
   * wrote to some hosts but not yet to others (see {@link HostPositions}).
   */
  private Future<List<Sourced>> unapplied(List<DnsRecord> records, List<String> sources) {
    if (sources.isEmpty()) {
      List<Sourced> all = new ArrayList<>(records.size());
      records.forEach(r -> all.add(new Sourced(r, null)));
      return Future.succeededFuture(all);
    }
    return hosts.applied(SourcePositions.highest(sources).keySet()).map(applied -> {
      List<Sourced> fresh = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        SourcePositions.Position p = SourcePositions.of(sources.get(i));
        Long done = p.stream() == null ? null : applied.get(p.stream());
        if (done == null || p.offset() > done) {
          fresh.add(new Sourced(records.get(i), sources.get(i)));
        }
      }
      return fresh;
    });
  }

  private Future<IngestBus.Reply> process(List<Sourced> records, long alreadyApplied) {
    Map<String, List<Sourced>> byHost = new LinkedHashMap<>();
    Set<String> queries = new LinkedHashSet<>();
    long skipped = 0;
    for (Sourced s : records) {
      if (!IngestBus.CLIENT.matcher(s.record().client()).matches()) {
        skipped++; // no host to hold the evidence
        continue;
      }
      byHost.computeIfAbsent(s.record().client(), h -> new ArrayList<>()).add(s);
      queries.add(s.record().query());
    }
    long noHost = skipped;
    return verdicts.judge(queries).compose(v -> {
      Future<Long> held = Future.succeededFuture(0L);
      for (Map.Entry<String, List<Sourced>> e : byHost.entrySet()) {
        held = held.compose(n -> update(e.getKey(), e.getValue(), v, SAVE_ATTEMPTS).map(m -> n + m));
      }
      return held.map(heldAlready -> {
        long skippedRecords = noHost + alreadyApplied + heldAlready;
        long total = records.size() + alreadyApplied;
        NodeMetrics.ingested(total - skippedRecords, skippedRecords);
        return new IngestBus.Reply(total - skippedRecords, queries.size(), byHost.size(), skippedRecords);
      });
    });
  }

  /**
   * One host: read, merge the records it does not hold yet, score, write if nobody wrote it
   * meanwhile (else again, from the read). Yields the number of records it already held.
   */
  private Future<Long> update(String host, List<Sourced> sourced, Map<String, NameVerdict> v, int attempts) {
    return hosts.load(host).compose(loaded -> {
      HostPositions positions = HostPositions.read(loaded.applied());
      List<DnsRecord> records = new ArrayList<>(sourced.size());
      for (Sourced s : sourced) {
        if (s.source() == null || !positions.holds(s.source())) {
          records.add(s.record());
          positions.add(s.source());
        }
      }
      long held = sourced.size() - records.size();
      if (records.isEmpty()) {
        return Future.succeededFuture(held);
      }
      Set<String> units = new HashSet<>();
      long latest = DnsRecord.UNKNOWN_TIME;
      for (DnsRecord r : records) {
        NameVerdict nv = v.get(r.query());
        if (nv != null && nv.registrableDomain() != null
            && (nv.scope() == NameScope.PUBLIC || nv.scope() == NameScope.ALLOWLISTED)) {
          units.add(nv.registrableDomain());
        }
        if (r.hasTime()) {
          latest = Math.max(latest, r.timeMillis());
        }
      }
      HostEvidence ev = loaded.state() == null ? new HostEvidence(host, scorer)
          : HostEvidence.fromState(HostStateJson.read(loaded.state()), scorer);
      for (DnsRecord r : records) {
        NameVerdict nv = v.get(r.query());
        if (nv != null) {
          ev.add(r, nv);
        }
      }
      // The window follows the log's own clock: a log replayed days later keeps its evidence together.
      HostState before = ev.toState();
      long now = latest != DnsRecord.UNKNOWN_TIME ? latest : before.lastSeenMillis() != DnsRecord.UNKNOWN_TIME
          ? before.lastSeenMillis() : System.currentTimeMillis();
      ev.dropEvidenceBefore(now - conf.windowMs());
      return hosts.touch(host, units, conf.windowMs(), scorer.params().commonHosts()).compose(counts -> {
        HostScore.Result score = ev.score(new LivePopularity(counts, common, scorer.params().commonHosts()));
        HostState state = ev.toState();
        return hosts.save(loaded, HostStateJson.write(state), score.score(), score.infected(), conf.windowMs(),
            conf.maxHosts(), positions.changedJson()).compose(saved -> {
              if (!saved.stored()) {
                if (attempts <= 1) {
                  return Future.failedFuture("host " + host + " changed under " + SAVE_ATTEMPTS + " writes in a row");
                }
                return update(host, sourced, v, attempts - 1);
              }
              if (saved.newlyInfected()) {
                alert(HostReport.of(state, score));
              }
              return Future.succeededFuture(held);
            });
      });
    });
  }

  private void alert(HostReport report) {
    String json = report.toJsonLine();
    NodeMetrics.hostAlert();
    LOG.warning("host " + report.host() + " looks infected (score " + String.format("%.1f", report.score()) + ")");
    vertx.eventBus().publish(IngestBus.ALERTS, new JsonObject(json));
    hosts.alert(json).onFailure(e -> LOG.warning("alert for " + report.host() + " not added to dgad:alerts: " + e.getMessage()));
    webhook.post(json);
  }
}
