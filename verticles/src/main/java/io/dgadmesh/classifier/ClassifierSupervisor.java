package io.dgadmesh.classifier;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.model.DgaModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A node's classifier instances (node.classifiers of them), each its own child deployment, and
 * their replacement: an instance that reports itself broken (its model call threw, or ran longer
 * than classifier.stuckMs) is undeployed and a fresh one, with a new model session and worker
 * thread, takes its place. A slot replaced again within a minute waits before its next instance
 * (1 s, doubling up to a minute), so a model that fails every call does not reload in a loop.
 * Undeploying the supervisor undeploys the instances (Vert.x stops children first).
 *
 * <p>Model: the supervisor reads the model file once ({@link ModelSource}) and every instance,
 * replacements included, opens its session from those bytes, so all serve one version. A reload
 * ({@link Bus#MODEL_RELOAD}, node-local: POST /api/model/reload, SIGHUP) reads classifier.modelPath
 * again (and classifier.pslPath) and opens one new session per instance off the event loop, at the
 * configured operating point; only when all have loaded and passed their probe are they swapped in,
 * one per instance, between two model calls (no request fails or waits for it). A file that does
 * not load, lacks the configured operating point or was trained with another suffix list fails the
 * reload with the reason and changes nothing. An instance that was starting meanwhile, from the old bytes, gets the new model as soon
 * as it has started.
 */
public class ClassifierSupervisor extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ClassifierSupervisor.class.getName());
  private static final long CALM_NS = 60_000_000_000L;
  private static final long MAX_PAUSE_MS = 60_000;

  private final NodeSettings settings;
  private final BiFunction<NodeSettings, BiConsumer<String, String>, ClassifierVerticle> factory;
  private final int instances;
  private final List<Slot> slots = new ArrayList<>();
  private boolean stopping;
  private ClassifierConf conf;
  /** The model every instance serves (or is about to); replaced by a successful reload. */
  private volatile ModelSource source;
  private boolean reloading;
  private MessageConsumer<JsonObject> reloadConsumer;

  /** One slot: the deployment running now and its recent replacements. */
  private static final class Slot {
    String deployment;
    /** The instance of {@link #deployment}, or the one being deployed. */
    ClassifierVerticle instance;
    long lastReplaced;
    long pauseMs;
  }

  public ClassifierSupervisor(NodeSettings settings) {
    this(settings, settings.node().classifiers(), ClassifierVerticle::new);
  }

  /** {@code factory} makes an instance that reports itself broken to the given callback (tests stand in their own). */
  ClassifierSupervisor(NodeSettings settings, int instances,
                       BiFunction<NodeSettings, BiConsumer<String, String>, ClassifierVerticle> factory) {
    this.settings = settings;
    this.instances = instances;
    this.factory = factory;
  }

  @Override
  public Future<?> start() {
    conf = settings.classifier();
    return vertx.executeBlocking(() -> ModelSource.read(conf)).compose(read -> {
      source = read;
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        Slot slot = new Slot();
        slots.add(slot);
        all.add(deploy(slot));
      }
      // Local: a reload is this node's, whoever else in the cluster listens on the same address.
      reloadConsumer = vertx.eventBus().localConsumer(Bus.MODEL_RELOAD, this::onReload);
      return Future.all(all).compose(v -> reloadConsumer.completion());
    });
  }

  private Future<String> deploy(Slot slot) {
    ClassifierVerticle v = factory.apply(settings, (id, why) -> context.runOnContext(x -> replace(slot, id, why)));
    v.modelSource(() -> source);
    slot.instance = v;
    return vertx.deployVerticle(v).onSuccess(id -> {
      slot.deployment = id;
      if (v.loadedFrom() != source && !stopping) {
        // It read the bytes before a reload replaced them: it gets the reloaded model now.
        ModelSource now = source;
        openAll(now, 1).compose(models -> swapOrClose(v, models.get(0), now))
            .onFailure(e -> LOG.warning("classifier instance " + id + " still serves the model before the reload: " + e));
      }
    });
  }

  /** Blocking work off the event loop: {@code n} sessions from {@code from}, all or none. */
  private Future<List<DgaModel>> openAll(ModelSource from, int n) {
    return vertx.executeBlocking(() -> {
      List<DgaModel> models = new ArrayList<>(n);
      try {
        for (int i = 0; i < n; i++) {
          models.add(from.open(conf.onnxThreads(), conf.operatingPoint(), conf.threshold()));
        }
        return models;
      } catch (RuntimeException e) {
        models.forEach(DgaModel::close); // none ran
        throw e;
      }
    }, false);
  }

  /** Swaps {@code m} into {@code v}; closes it if the instance is stopping (it never ran). */
  private static Future<String> swapOrClose(ClassifierVerticle v, DgaModel m, ModelSource from) {
    return v.swap(m, from).onFailure(e -> m.close());
  }

  /**
   * A reload's new version, the operating point it judges at, and its swaps, one per running
   * instance, each giving the version it replaced.
   */
  private record Swaps(String version, String point, List<Future<String>> swaps) {}

  /**
   * {@link Bus#MODEL_RELOAD}: the file again, one new session per running instance, then the swaps.
   * Replies {node, model_version, replaced, classifiers}; fails with {@link Bus#BAD_MODEL} (nothing
   * changed) or {@link Bus#RELOADING}.
   */
  private void onReload(Message<JsonObject> msg) {
    if (stopping) {
      msg.fail(Bus.STOPPING, "the classifiers are stopping");
      return;
    }
    if (reloading) {
      msg.fail(Bus.RELOADING, "a model reload of this node is under way; try again when it has finished");
      return;
    }
    reloading = true;
    String before = source.origin();
    vertx.executeBlocking(() -> ModelSource.read(conf), false)
        .compose(read -> openAll(read, instances).map(models -> {
          // All loaded and probed: from here on, on this context, nothing can fail half-way.
          source = read;
          List<Future<String>> swaps = new ArrayList<>();
          for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.deployment != null && !stopping) {
              swaps.add(swapOrClose(slot.instance, models.get(i), read));
            } else {
              models.get(i).close(); // starting (it takes the new model once started) or waiting to restart
            }
          }
          return new Swaps(models.get(0).version().id(), models.get(0).operatingPoint().name(), swaps);
        }))
        .onComplete(ar -> {
          if (ar.failed()) {
            reloading = false;
            LOG.warning("model reload refused: " + ar.cause().getMessage() + "; still serving " + before);
            msg.fail(Bus.BAD_MODEL, "model reload refused: " + ar.cause().getMessage()
                + "; the classifiers still serve the model they had (" + before + ")");
            return;
          }
          String version = ar.result().version();
          List<Future<String>> swaps = ar.result().swaps();
          Future.join(swaps).onComplete(done -> {
            reloading = false;
            TreeSet<String> replaced = new TreeSet<>();
            int swapped = 0;
            for (Future<String> f : swaps) {
              if (f.succeeded()) {
                replaced.add(f.result());
                swapped++;
              }
            }
            LOG.info("model reloaded from " + source.origin() + ": " + version + " in " + swapped
                + " classifier instance(s), replacing " + replaced);
            msg.reply(new JsonObject().put(Bus.NODE, settings.node().idOrDefault()).put(Bus.MODEL_VERSION, version)
                .put(Bus.POINT, ar.result().point())
                .put(Bus.REPLACED, new JsonArray(new ArrayList<>(replaced))).put(Bus.CLASSIFIERS, swapped));
          });
        });
  }

  /** On the supervisor's context: the instance {@code id} of {@code slot} asked to be replaced. */
  private void replace(Slot slot, String id, String why) {
    if (stopping || !id.equals(slot.deployment)) {
      return; // stopping anyway, or that instance was already replaced
    }
    slot.deployment = null;
    long now = System.nanoTime();
    slot.pauseMs = slot.lastReplaced != 0 && now - slot.lastReplaced < CALM_NS
        ? Math.min(MAX_PAUSE_MS, Math.max(1000, slot.pauseMs * 2)) : 0;
    slot.lastReplaced = now;
    LOG.warning("replacing classifier instance " + id + " (" + why + ")"
        + (slot.pauseMs > 0 ? " in " + slot.pauseMs + " ms: it was replaced less than a minute ago" : ""));
    // Its stop fails what waits there and waits (bounded) for a running call; meanwhile the others answer.
    vertx.undeploy(id).onFailure(e -> LOG.warning("classifier instance " + id + " did not stop cleanly: " + e));
    if (slot.pauseMs == 0) {
      redeploy(slot);
    } else {
      vertx.setTimer(slot.pauseMs, t -> redeploy(slot));
    }
  }

  private void redeploy(Slot slot) {
    if (stopping) {
      return;
    }
    deploy(slot).onFailure(e -> {
      LOG.severe("a new classifier instance did not start: " + e + "; trying again");
      slot.deployment = "failed";
      replace(slot, "failed", "its start failed");
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true; // the instances are children: Vert.x has undeployed them already
    return reloadConsumer == null ? Future.succeededFuture() : reloadConsumer.unregister();
  }
}
