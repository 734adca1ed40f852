package io.dgadmesh.classifier;

import io.dgadmesh.config.NodeSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
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

  /** One slot: the deployment running now and its recent replacements. */
  private static final class Slot {
    String deployment;
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
    List<Future<String>> all = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      Slot slot = new Slot();
      slots.add(slot);
      all.add(deploy(slot));
    }
    return Future.all(all);
  }

  private Future<String> deploy(Slot slot) {
    ClassifierVerticle v = factory.apply(settings, (id, why) -> context.runOnContext(x -> replace(slot, id, why)));
    return vertx.deployVerticle(v).onSuccess(id -> slot.deployment = id);
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
    return Future.succeededFuture();
  }
}
