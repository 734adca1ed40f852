package io.dgadmesh.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.testing.ModelFiles;
import io.dgadmesh.testing.Poll;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload while a model call runs: the new session takes the calls dispatched after the swap, the
 * running call finishes on the old session (its results name the old model), and the old session is
 * closed only once that call has returned (closing it under the call would crash the JVM). A file
 * that does not load fails the reload with {@link Bus#BAD_MODEL} and changes nothing.
 */
@Timeout(value = 60)
class ClassifierReloadTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Context client;
  private final CountDownLatch gate = new CountDownLatch(1);
  private final List<HeldClassifier> made = Collections.synchronizedList(new ArrayList<>());
  private Path model;
  private String versionA;
  private String versionB;
  private byte[] b;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.getOrCreateContext();
    byte[] a = ModelFiles.shipped();
    b = ModelFiles.declaring("9.9.9-held-reload");
    versionB = ModelFiles.versionOf(b, "9.9.9-held-reload");
    model = dir.resolve("model.onnx");
    ModelFiles.install(model, a);
    NodeSettings s = NodeSettings.of(new JsonObject()
        .put("classifier", new JsonObject().put("modelPath", model.toString()))
        .put("node", new JsonObject().put("stopTimeoutMs", 10_000)));
    Poll.get(vertx.deployVerticle(new ClassifierSupervisor(s, 1, (settings, onBroken) -> {
      HeldClassifier h = new HeldClassifier(settings, onBroken, gate, false);
      made.add(h);
      return h;
    })), 30_000);
    versionA = Poll.get(onClient(() -> Bus.info(vertx.eventBus())), 10_000).getString(Bus.MODEL_VERSION);
  }

  @AfterEach
  void tearDown() {
    gate.countDown(); // never leave a worker thread held
    Poll.get(vertx.close(), 30_000);
  }

  private <T> T onClient(Supplier<T> send) {
    CompletableFuture<T> out = new CompletableFuture<>();
    client.runOnContext(v -> out.complete(send.get()));
    return out.join();
  }

  private Future<List<Bus.Result>> classify(String name) {
    return onClient(() -> Bus.classify(vertx.eventBus(), Bus.CLASSIFY, List.of(name), 30_000));
  }

  @Test
  void theOldSessionClosesOnlyAfterTheCallRunningOnItReturns() throws Exception {
    Future<List<Bus.Result>> held = classify("google.com");
    assertTrue(made.get(0).callStarted.await(30, TimeUnit.SECONDS));

    ModelFiles.install(model, b);
    JsonObject reply = Poll.get(onClient(() -> Bus.reloadModel(vertx.eventBus())), 30_000);
    assertEquals(versionB, reply.getString(Bus.MODEL_VERSION), "the swap does not wait for the running call");
    assertEquals(1, reply.getInteger(Bus.CLASSIFIERS));
    assertFalse(made.get(0).closed, "the old session is still in use: it stays open");

    gate.countDown();
    assertEquals(versionA, Poll.get(held, 30_000).get(0).model(), "the running call finished on the old model");
    Poll.await(10_000, "the old session closed once its call returned", () -> made.get(0).closed);
    assertFalse(made.get(0).closedWhileRunning);
    assertEquals(versionB, Poll.get(classify("example.org"), 30_000).get(0).model());
    assertEquals(versionB, Poll.get(onClient(() -> Bus.info(vertx.eventBus())), 10_000).getString(Bus.MODEL_VERSION));
    assertEquals(1, made.size(), "a reload swaps sessions; it replaces no instance");
  }

  @Test
  void aFileThatDoesNotLoadChangesNothing() throws Exception {
    gate.countDown();
    ModelFiles.install(model, "garbage".getBytes());
    ReplyException refused = failure(onClient(() -> Bus.reloadModel(vertx.eventBus())));
    assertEquals(Bus.BAD_MODEL, refused.failureCode());
    assertTrue(refused.getMessage().contains(model.toString()) && refused.getMessage().contains("cannot load the ONNX model"),
        refused.getMessage());
    assertEquals(versionA, Poll.get(classify("example.org"), 30_000).get(0).model());
    assertFalse(made.get(0).closed);
  }

  private static ReplyException failure(Future<?> f) throws InterruptedException {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the reload succeeded");
  }
}
