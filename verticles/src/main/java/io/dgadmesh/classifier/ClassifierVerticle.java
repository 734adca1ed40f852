package io.dgadmesh.classifier;

import io.dgadmesh.bus.BatchAggregator;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.Allowlist;
import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.metrics.ServedModels;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.model.ModelSpec;
import io.dgadmesh.model.Prediction;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Answers {@link Bus#CLASSIFY}: normalises names, batches the valid ones into the ONNX model and
 * replies with one {@link Bus.Result} per name. Each instance loads its own model session and
 * owns one worker thread, so N instances run N model calls in parallel and the event loop never
 * waits on ONNX Runtime.
 *
 * <p>Settings: {@link ClassifierConf}. publishResults publishes every answered batch on
 * {@link Bus#RESULTS_PUBLISH}. eagerWhenIdle lets an idle model run what has queued at once instead
 * of waiting out the deadline, because with synchronous single-name callers the deadline, not the
 * model, bounded throughput; a busy model still batches everything that queued while it ran.
 *
 * <p>Admission: at most classifier.maxQueuedNames names wait for the model; past it a request fails
 * at once with {@link Bus#OVERLOADED}. A request still waiting when its caller's timeout
 * ({@link Bus#TIMEOUT_HEADER}) has passed is dropped unrun ({@link Bus#EXPIRED}).
 *
 * <p>Failure: a model call that throws, or one running longer than classifier.stuckMs, makes the
 * instance report itself broken to whoever deployed it ({@link ClassifierSupervisor} replaces it);
 * a stuck call also makes the node not ready ({@link ClassifierHealth}) until the instance is gone.
 *
 * <p>Model: classifier.modelPath ({@link ModelSource}), or what its supervisor hands it. Every
 * result names the version of the model that judged it ({@link io.dgadmesh.model.ModelVersion})
 * and the operating point whose threshold made its verdict (classifier.operatingPoint, or
 * "threshold" when classifier.threshold is set; {@link Bus#POINT}).
 * A reload ({@link #swap}) puts a new session, opened off the event loop, in place between two
 * model calls; the session it replaces is closed once its last call has returned ({@link Sessions}).
 *
 * <p>Stop: the consumers go first (requests go to the other classifiers), the waiting requests
 * fail with {@link Bus#STOPPING} (their callers send them again), and the model is closed only once
 * its running call has returned: closing an ONNX Runtime session under a running call crashes the
 * JVM. A call still running after half of node.stopTimeoutMs leaves the session open (the process
 * is ending, or the instance is being replaced because that call is stuck).
 */
public class ClassifierVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ClassifierVerticle.class.getName());

  private final NodeSettings given;
  private Allowlist allowlist = Allowlist.empty();
  /** Told (deployment id, why) when this instance should be replaced; null: nobody replaces it. */
  private final BiConsumer<String, String> onBroken;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public ClassifierVerticle() {
    this(null);
  }

  public ClassifierVerticle(NodeSettings settings) {
    this(settings, null);
  }

  public ClassifierVerticle(NodeSettings settings, BiConsumer<String, String> onBroken) {
    this.given = settings;
    this.onBroken = onBroken;
  }

  /** Where the first model comes from; null: read classifier.modelPath at start. Set by the supervisor. */
  private Supplier<ModelSource> source;
  /** The session new model calls run on. Event loop only: a call takes it when it is dispatched. */
  private DgaModel model;
  private volatile ModelSource loadedFrom;
  private Sessions sessions;
  private ServedModels served;
  private WorkerExecutor executor;
  private BatchAggregator<String, Verdict> aggregator;
  private MessageConsumer<JsonObject> classifyConsumer;
  private MessageConsumer<JsonObject> infoConsumer;
  private ClassifierHealth health;
  private String nodeId;
  private boolean publish;
  private int maxQueued;
  private long stuckMs;
  private long stopWaitMs;
  private long watchdog = -1;
  private boolean broken;
  private boolean stopping;
  /** System.nanoTime() when the running model call began; 0 while none runs. Written by the worker. */
  private volatile long callStarted;

  /** A name's prediction, the version of the model that made it and the operating point that judged it. */
  private record Verdict(Prediction prediction, String model, String point) {}

  /** Before deployment: open the first model from {@code s} instead of classifier.modelPath. */
  void modelSource(Supplier<ModelSource> s) {
    this.source = s;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    ClassifierConf conf = settings.classifier();
    Double threshold = conf.threshold();
    publish = conf.publishResults();
    nodeId = settings.node().idOrDefault();
    maxQueued = conf.maxQueuedNames();
    stuckMs = conf.stuckMs();
    allowlist = conf.allowlist();
    stopWaitMs = Math.max(1, settings.node().stopTimeoutMs() / 2);
    sessions = new Sessions(this::closeModel);
    served = ServedModels.of(vertx);
    // A private one-thread pool: model calls of this instance never queue behind other blocking work.
    executor = vertx.createSharedWorkerExecutor("dgad-onnx-" + UUID.randomUUID(), 1);
    return executor.executeBlocking(() -> {
      ModelSource from = source != null ? source.get() : ModelSource.read(conf);
      DgaModel m = from.open(conf.onnxThreads(), conf.operatingPoint(), threshold);
      loadedFrom = from;
      return m;
    }).compose(m -> {
      model = m;
      served.serve(deploymentID(), m.version().id(), m.operatingPoint().name());
      // One model call at a time: the aggregator runs at most one batch.
      aggregator = new BatchAggregator<>(vertx, this::dispatch, 1, conf.maxBatch(), conf.deadlineMs(),
          conf.eagerWhenIdle()).limitQueued(maxQueued);
      health = ClassifierHealth.of(vertx);
      watchdog = vertx.setPeriodic(Math.max(10, Math.min(1000, stuckMs / 4)), id -> watch());
      classifyConsumer = vertx.eventBus().consumer(Bus.CLASSIFY, this::onClassify);
      infoConsumer = vertx.eventBus().consumer(Bus.INFO, this::onInfo);
      return Future.all(classifyConsumer.completion(), infoConsumer.completion());
    });
  }

  /**
   * On the event loop: one batch to the session in place now, on the worker thread. The session is
   * held until the call has returned, so a reload meanwhile closes it only after that. Released from
   * the worker thread as the call returns, not when its future completes: closing the executor
   * fails the future of a call that still runs.
   */
  private Future<List<Verdict>> dispatch(List<String> hosts) {
    DgaModel m = model;
    String version = m.version().id();
    String point = m.operatingPoint().name();
    sessions.acquire(m);
    return executor.executeBlocking(() -> {
      try {
        List<Prediction> preds = timedModel(m, hosts);
        List<Verdict> out = new ArrayList<>(preds.size());
        for (Prediction p : preds) {
          out.add(new Verdict(p, version, point));
        }
        return out;
      } finally {
        context.runOnContext(v -> sessions.release(m));
      }
    }, false);
  }

  /**
   * Any thread: puts {@code next} (opened from {@code from}, off the event loop) in place of the
   * instance's model. Calls dispatched from now on run on it; the replaced session is closed once
   * its last call has returned. Completes with the replaced version; fails when the instance is
   * stopping or has not started, and the caller closes {@code next} (it never ran).
   */
  Future<String> swap(DgaModel next, ModelSource from) {
    Promise<String> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopping || aggregator == null) {
        done.fail(new IllegalStateException("classifier instance " + deploymentID() + " is stopping"));
        return;
      }
      DgaModel old = model;
      model = next;
      loadedFrom = from;
      served.serve(deploymentID(), next.version().id(), next.operatingPoint().name());
      sessions.retire(old);
      done.complete(old.version().id());
    });
    return done.future();
  }

  /** The source of the model this instance serves: a supervisor compares it with its own. */
  ModelSource loadedFrom() {
    return loadedFrom;
  }

  private void onClassify(Message<JsonObject> msg) {
    JsonArray names = msg.body() == null ? null : msg.body().getJsonArray(Bus.NAMES);
    if (names == null) {
      msg.fail(Bus.BAD_REQUEST, "request needs a '" + Bus.NAMES + "' array");
      return;
    }
    long deadline = deadline(msg);
    int n = names.size();
    BitSet quiet = Bus.quiet(msg.body(), n);
    Bus.Result[] results = new Bus.Result[n];
    List<String> hosts = new ArrayList<>(n);
    int[] slot = new int[n];
    for (int i = 0; i < n; i++) {
      Object raw = names.getValue(i);
      HostnameNormalizer.Result norm = HostnameNormalizer.normalize(raw instanceof String s ? s : null);
      if (norm.ok()) {
        slot[hosts.size()] = i;
        hosts.add(norm.host());
      } else {
        results[i] = Bus.Result.invalid(raw == null ? "" : String.valueOf(raw), norm.error());
      }
    }
    aggregator.submit(hosts, deadline).onComplete(ar -> {
      if (ar.failed()) {
        fail(msg, ar.cause());
        return;
      }
      List<Verdict> verdicts = ar.result();
      long allowlisted = 0;
      for (int k = 0; k < verdicts.size(); k++) {
        Prediction p = verdicts.get(k).prediction();
        String version = verdicts.get(k).model();
        String point = verdicts.get(k).point();
        String host = hosts.get(k);
        if (allowlist.covers(host)) {
          allowlisted += quiet.get(slot[k]) ? 0 : 1;
          results[slot[k]] = Bus.Result.allowlisted(host, p.score(), version, point);
        } else {
          results[slot[k]] = Bus.Result.judged(host, p.dga(), p.score(), p.family(), p.familyScore(), version, point);
        }
      }
      if (allowlisted > 0) {
        NodeMetrics.allowlisted(allowlisted);
      }
      List<Bus.Result> all = List.of(results);
      JsonObject reply = Bus.classifyReply(all);
      msg.reply(reply);
      countAndPublish(results, reply, quiet);
    });
  }

  /** When the caller stops waiting, on the System.nanoTime() scale; none without the header. */
  private static long deadline(Message<JsonObject> msg) {
    String timeout = msg.headers().get(Bus.TIMEOUT_HEADER);
    if (timeout != null) {
      try {
        long ms = Long.parseLong(timeout);
        if (ms > 0 && ms < Long.MAX_VALUE / 2_000_000) {
          return System.nanoTime() + ms * 1_000_000;
        }
      } catch (NumberFormatException e) {
        // not a number: no deadline, as without the header
      }
    }
    return BatchAggregator.NO_DEADLINE;
  }

  private void fail(Message<JsonObject> msg, Throwable cause) {
    if (cause instanceof BatchAggregator.Full full) {
      msg.fail(Bus.OVERLOADED, "classifier overloaded: " + full.queued() + " names wait for the model and the limit"
          + " is classifier.maxQueuedNames = " + full.limit() + "; retry later");
    } else if (cause instanceof BatchAggregator.Expired) {
      msg.fail(Bus.EXPIRED, "dropped unclassified: the caller's timeout passed while the request waited");
    } else if (cause instanceof BatchAggregator.Closed closed) {
      msg.fail(Bus.STOPPING, closed.getMessage());
    } else {
      msg.fail(Bus.MODEL_FAILED, "model failed: " + cause.getMessage());
      broken("a model call failed: " + cause);
    }
  }

  /** Runs on the instance's worker thread. */
  private List<Prediction> timedModel(DgaModel m, List<String> hosts) {
    long t0 = System.nanoTime();
    callStarted = t0;
    try {
      List<Prediction> out = runModel(m, hosts);
      NodeMetrics.modelCall(hosts.size(), System.nanoTime() - t0);
      return out;
    } finally {
      callStarted = 0;
    }
  }

  /** One model call, on the worker thread. Package-private: tests stand in a slow or failing model. */
  List<Prediction> runModel(DgaModel m, List<String> hosts) {
    return m.classify(hosts);
  }

  /** Frees the session; called only when no call runs. Package-private: tests watch when it happens. */
  void closeModel(DgaModel m) {
    m.close();
  }

  /** Every tick on the event loop: is the running model call stuck? */
  private void watch() {
    long started = callStarted;
    long ms = started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
    if (ms > stuckMs) {
      String why = "classifier instance " + deploymentID() + " is stuck: a model call has run for " + ms
          + " ms (classifier.stuckMs = " + stuckMs + ")";
      health.stuck(deploymentID(), why);
      broken(why);
    } else {
      health.fine(deploymentID());
    }
  }

  /** Asks, once, to be replaced; the requests go on failing or waiting until that happens. */
  private void broken(String why) {
    if (broken || stopping) {
      return;
    }
    broken = true;
    if (onBroken != null) {
      LOG.warning(why + "; replacing the instance");
      onBroken.accept(deploymentID(), why);
    } else {
      LOG.severe(why + "; nothing replaces this instance (deployed without " + ClassifierSupervisor.class.getSimpleName() + ")");
    }
  }

  /** Counts and publishes the results someone looked up; quiet ones (see Bus.QUIET) are only answered. */
  private void countAndPublish(Bus.Result[] results, JsonObject reply, BitSet quiet) {
    long dga = 0;
    long ok = 0;
    long bad = 0;
    for (int i = 0; i < results.length; i++) {
      Bus.Result r = results[i];
      if (quiet.get(i)) {
        continue;
      }
      if (!r.ok()) {
        bad++;
      } else if (r.isDga()) {
        dga++;
        if (r.family() != null) {
          NodeMetrics.dgaFamily(r.family());
        }
      } else {
        ok++;
      }
    }
    NodeMetrics.classified(dga, ok, bad);
    if (publish && results.length > quiet.cardinality()) {
      // Every answered batch, whoever asked: the dashboards of the cluster watch this address.
      JsonArray all = reply.getJsonArray(Bus.RESULTS);
      JsonArray shown = all;
      if (!quiet.isEmpty()) {
        shown = new JsonArray(new ArrayList<>(all.size() - quiet.cardinality()));
        for (int i = 0; i < all.size(); i++) {
          if (!quiet.get(i)) {
            shown.add(all.getValue(i));
          }
        }
      }
      vertx.eventBus().publish(Bus.RESULTS_PUBLISH, Bus.resultsEvent(nodeId, shown));
    }
  }

  private void onInfo(Message<JsonObject> msg) {
    ModelSpec spec = model.spec();
    JsonObject points = new JsonObject();
    spec.operatingPoints().forEach(points::put);
    msg.reply(new JsonObject().put(Bus.MODEL_VERSION, model.version().id()).put(Bus.THRESHOLD, model.threshold())
        .put(Bus.POINT, model.operatingPoint().name()).put(Bus.POINTS, points)
        .put(Bus.FAMILIES, new JsonArray(new ArrayList<>(spec.families())))
        .put(Bus.BATCHES, aggregator.batches()).put(Bus.BATCHED_NAMES, aggregator.items())
        .put(Bus.EXPIRED_NAMES, aggregator.expired()).put(Bus.REFUSED_NAMES, aggregator.refused()));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(watchdog);
    if (aggregator == null) { // start failed before the model was ready: nothing ran
      if (model != null) {
        closeModel(model);
      }
      return executor == null ? Future.succeededFuture() : executor.close();
    }
    return Future.join(unregister(classifyConsumer), unregister(infoConsumer))
        .transform(ar -> lastCallReturned())
        .transform(ar -> {
          served.gone(deploymentID());
          if (ar.succeeded()) {
            // No call runs: the sessions a reload replaced are closed already (each when its last call returned).
            closeModel(model);
          } else {
            LOG.severe("classifier instance " + deploymentID() + ": a model call still runs " + stopWaitMs
                + " ms into the stop; its session is left open (closing it under the call would crash the JVM)");
            sessions.retire(model); // closed now only if the running call is on an older session
            sessions.keepOpen();
          }
          health.fine(deploymentID()); // the instance is gone; its replacement answers for itself
          return executor.close();
        });
  }

  private static Future<Void> unregister(MessageConsumer<JsonObject> c) {
    return c == null ? Future.succeededFuture() : c.unregister();
  }

  /** Fails what waits (callers send it again) and completes when the running call has returned, or fails after stopWaitMs. */
  private Future<Void> lastCallReturned() {
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(stopWaitMs, t -> done.tryFail("a model call still runs"));
    aggregator.close("classifier instance stopping: send the request again")
        .onComplete(ar -> vertx.runOnContext(v -> {
          vertx.cancelTimer(timer);
          done.tryComplete();
        }));
    return done.future();
  }
}
