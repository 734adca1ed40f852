package io.dgadmesh.classifier;

import io.dgadmesh.bus.BatchAggregator;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.metrics.NodeMetrics;
import io.dgadmesh.model.DgaModel;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.model.ModelSpec;
import io.dgadmesh.model.Prediction;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
 */
public class ClassifierVerticle extends VerticleBase {

  private final NodeSettings given;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public ClassifierVerticle() {
    this(null);
  }

  public ClassifierVerticle(NodeSettings settings) {
    this.given = settings;
  }

  private DgaModel model;
  private WorkerExecutor executor;
  private BatchAggregator<String, Prediction> aggregator;
  private String nodeId;
  private boolean publish;

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config());
    ClassifierConf conf = settings.classifier();
    Double threshold = conf.threshold();
    publish = conf.publishResults();
    nodeId = settings.node().idOrDefault();
    // A private one-thread pool: model calls of this instance never queue behind other blocking work.
    executor = vertx.createSharedWorkerExecutor("dgad-onnx-" + UUID.randomUUID(), 1);
    return executor.executeBlocking(() -> DgaModel.loadDefault(conf.onnxThreads())).compose(m -> {
      model = m;
      if (threshold != null) {
        model.overrideThreshold(threshold.floatValue());
      }
      aggregator = BatchAggregator.blocking(vertx, executor, this::timedModel, conf.maxBatch(),
          conf.deadlineMs(), conf.eagerWhenIdle());
      MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Bus.CLASSIFY, this::onClassify);
      MessageConsumer<JsonObject> i = vertx.eventBus().consumer(Bus.INFO, this::onInfo);
      return Future.all(c.completion(), i.completion());
    });
  }

  private void onClassify(Message<JsonObject> msg) {
    JsonArray names = msg.body() == null ? null : msg.body().getJsonArray(Bus.NAMES);
    if (names == null) {
      msg.fail(Bus.BAD_REQUEST, "request needs a '" + Bus.NAMES + "' array");
      return;
    }
    int n = names.size();
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
    aggregator.submit(hosts).onComplete(ar -> {
      if (ar.failed()) {
        msg.fail(Bus.MODEL_FAILED, "model failed: " + ar.cause().getMessage());
        return;
      }
      List<Prediction> preds = ar.result();
      for (int k = 0; k < preds.size(); k++) {
        Prediction p = preds.get(k);
        results[slot[k]] = new Bus.Result(hosts.get(k), p.dga(), p.score(), p.family(), p.familyScore(), null);
      }
      List<Bus.Result> all = List.of(results);
      JsonObject reply = Bus.classifyReply(all);
      msg.reply(reply);
      countAndPublish(results, reply);
    });
  }

  /** Runs on the instance's worker thread. */
  private List<Prediction> timedModel(List<String> hosts) {
    long t0 = System.nanoTime();
    List<Prediction> out = model.classify(hosts);
    NodeMetrics.modelCall(hosts.size(), System.nanoTime() - t0);
    return out;
  }

  private void countAndPublish(Bus.Result[] results, JsonObject reply) {
    long dga = 0;
    long ok = 0;
    long bad = 0;
    for (Bus.Result r : results) {
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
    if (publish && results.length > 0) {
      // Every answered batch, whoever asked: the dashboards of the cluster watch this address.
      vertx.eventBus().publish(Bus.RESULTS_PUBLISH, Bus.resultsEvent(nodeId, reply.getJsonArray(Bus.RESULTS)));
    }
  }

  private void onInfo(Message<JsonObject> msg) {
    ModelSpec spec = model.spec();
    msg.reply(new JsonObject().put(Bus.MODEL_VERSION, spec.version()).put(Bus.THRESHOLD, model.threshold())
        .put(Bus.FAMILIES, new JsonArray(new ArrayList<>(spec.families())))
        .put(Bus.BATCHES, aggregator.batches()).put(Bus.BATCHED_NAMES, aggregator.items()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = executor == null ? Future.succeededFuture() : executor.close();
    return closed.andThen(ar -> {
      if (model != null) {
        model.close();
      }
    });
  }
}
