package io.dgadmesh.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.Poll;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: a classifier's admission limit (defect 8), work of callers that left (defect 8), its
 * stop under a running model call (defect 1) and its replacement when it fails or is stuck.
 * The model is the real one; {@link HeldClassifier} holds its calls where a test needs them held.
 */
@Timeout(value = 60)
class ClassifierLifecycleTest {

  private Vertx vertx;
  private Context client;
  private final CountDownLatch gate = new CountDownLatch(1);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() {
    gate.countDown(); // never leave a worker thread held
    Poll.get(vertx.close(), 30_000);
  }

  static NodeSettings settings(JsonObject classifier, int stopTimeoutMs) {
    return NodeSettings.of(new JsonObject().put("classifier", classifier)
        .put("node", new JsonObject().put("stopTimeoutMs", stopTimeoutMs)));
  }

  /** Runs {@code send} on one client context, so requests sent in one call leave in that order. */
  private <T> T onClient(Supplier<T> send) {
    CompletableFuture<T> out = new CompletableFuture<>();
    client.runOnContext(v -> out.complete(send.get()));
    return out.join();
  }

  private Future<List<Bus.Result>> classify(List<String> names, long timeoutMs) {
    return onClient(() -> Bus.classify(vertx.eventBus(), Bus.CLASSIFY, names, timeoutMs));
  }

  private static ReplyException failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (ReplyException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the request succeeded");
  }

  private static List<String> names(int n, String tag) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i % 2 == 0 ? tag + i + ".example.org" : Names.randomDga(15, i + 7L * tag.hashCode()));
    }
    return out;
  }

  private JsonObject info() {
    return Poll.get(onClient(() -> Bus.info(vertx.eventBus())), 10_000);
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
  }

  @Test
  void pastItsQueueLimitARequestIsRefusedOverloadedAndTheOthersAreAnswered() throws Exception {
    HeldClassifier c = new HeldClassifier(settings(new JsonObject().put("maxQueuedNames", 1000), 10_000), null, gate, false);
    Poll.get(vertx.deployVerticle(c), 30_000);
    Future<List<Bus.Result>> running = classify(List.of("google.com"), 30_000);
    await(c.callStarted);
    // 4 x 300 names wait while the model is held: three fit under 1,000, the fourth does not.
    List<Future<List<Bus.Result>>> waiting = onClient(() -> {
      List<Future<List<Bus.Result>>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(Bus.classify(vertx.eventBus(), Bus.CLASSIFY, names(300, "q" + i), 30_000));
      }
      return all;
    });
    // Refused while the model is still held: at once, not after a model call.
    Poll.await(10_000, "one request refused", () -> waiting.stream().anyMatch(Future::failed));
    gate.countDown();
    Poll.get(running, 30_000);
    int answered = 0;
    for (Future<List<Bus.Result>> f : waiting) {
      Poll.await(30_000, "every request done", f::isComplete);
      if (f.succeeded()) {
        answered++;
        assertEquals(300, f.result().size());
        f.result().forEach(r -> assertNull(r.error(), r.toString()));
      } else {
        ReplyException e = (ReplyException) f.cause();
        assertEquals(Bus.OVERLOADED, e.failureCode(), e.getMessage());
        assertTrue(e.getMessage().contains("classifier.maxQueuedNames = 1000"), e.getMessage());
      }
    }
    assertEquals(3, answered, "the requests within the limit are answered");
    JsonObject info = info();
    assertEquals(300, info.getLong(Bus.REFUSED_NAMES), info.encode());
    assertEquals(901, info.getLong(Bus.BATCHED_NAMES), info.encode());
  }

  @Test
  void aRequestWhoseCallerHasGoneIsDroppedWithoutRunningTheModel() throws Exception {
    HeldClassifier c = new HeldClassifier(settings(new JsonObject(), 10_000), null, gate, false);
    Poll.get(vertx.deployVerticle(c), 30_000);
    Future<List<Bus.Result>> running = classify(List.of("google.com"), 30_000);
    await(c.callStarted);
    ReplyException gone = failure(classify(names(50, "gone"), 200)); // its caller waits 200 ms only
    assertEquals(ReplyFailure.TIMEOUT, gone.failureType());
    gate.countDown();
    assertEquals(1, Poll.get(running, 30_000).size());
    assertEquals(1, Poll.get(classify(List.of("example.org"), 30_000), 30_000).size());
    JsonObject info = info();
    assertEquals(2, c.calls.get(), "model calls: the held one and the last request, not the one nobody waits for");
    assertEquals(2, info.getLong(Bus.BATCHES), info.encode());
    assertEquals(50, info.getLong(Bus.EXPIRED_NAMES), info.encode());
  }

  @Test
  void stopClosesTheModelOnlyAfterItsRunningCallHasReturned() throws Exception {
    HeldClassifier c = new HeldClassifier(settings(new JsonObject(), 30_000), null, gate, false);
    String id = Poll.get(vertx.deployVerticle(c), 30_000);
    Future<List<Bus.Result>> running = classify(List.of("google.com"), 30_000);
    await(c.callStarted);
    Future<List<Bus.Result>> queued = classify(names(10, "queued"), 30_000);
    info(); // answered after the queued request was taken: same event loop, in order
    Future<Void> undeploy = onClient(() -> vertx.undeploy(id));
    ReplyException stopping = failure(queued);
    assertEquals(Bus.STOPPING, stopping.failureCode(), stopping.getMessage());
    assertFalse(c.closed, "the model was closed while its call ran");
    assertFalse(undeploy.isComplete(), "the stop must wait for the running call");
    gate.countDown();
    Poll.get(undeploy, 30_000);
    assertTrue(c.closed, "the model is closed once its call returned");
    assertFalse(c.closedWhileRunning);
    assertEquals(1, Poll.get(running, 30_000).size(), "the running call's caller still gets its answer");
  }

  @Test
  void aCallThatNeverReturnsLeavesTheModelOpenAndTheStopEndsInTime() throws Exception {
    HeldClassifier c = new HeldClassifier(settings(new JsonObject(), 600), null, gate, false);
    String id = Poll.get(vertx.deployVerticle(c), 30_000);
    classify(List.of("google.com"), 30_000);
    await(c.callStarted);
    long t0 = System.nanoTime();
    Poll.get(onClient(() -> vertx.undeploy(id)), 10_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 5_000, "the stop took " + ms + " ms; node.stopTimeoutMs is 600");
    assertFalse(c.closed, "closing the session under a running call crashes the JVM: it must stay open");
  }

  @Test
  void anInstanceWhoseModelFailsIsReplacedByAFreshOne() {
    List<HeldClassifier> made = Collections.synchronizedList(new ArrayList<>());
    ClassifierSupervisor supervisor = new ClassifierSupervisor(settings(new JsonObject(), 10_000), 1, (s, onBroken) -> {
      HeldClassifier h = new HeldClassifier(s, onBroken, null, made.isEmpty()); // the first one's model always fails
      made.add(h);
      return h;
    });
    Poll.get(vertx.deployVerticle(supervisor), 30_000);
    ReplyException failed = failure(classify(List.of("google.com"), 30_000));
    assertEquals(Bus.MODEL_FAILED, failed.failureCode());
    Poll.await(30_000, "a fresh instance answers", () -> Poll.get(classify(List.of("google.com"), 5_000), 10_000)
        .get(0).error() == null);
    assertEquals(2, made.size(), "one replacement");
    Poll.await(10_000, "the failed instance stopped", () -> made.get(0).closed);
    assertFalse(made.get(0).closedWhileRunning);
  }

  @Test
  void aStuckInstanceMakesTheNodeNotReadyAndIsReplaced() throws Exception {
    List<HeldClassifier> made = Collections.synchronizedList(new ArrayList<>());
    NodeSettings s = settings(new JsonObject().put("stuckMs", 300), 1_000);
    ClassifierSupervisor supervisor = new ClassifierSupervisor(s, 1, (settings, onBroken) -> {
      HeldClassifier h = new HeldClassifier(settings, onBroken, made.isEmpty() ? gate : null, false);
      made.add(h);
      return h;
    });
    Poll.get(vertx.deployVerticle(supervisor), 30_000);
    assertTrue(Readiness.of(vertx).problems().isEmpty());
    classify(List.of("google.com"), 30_000);
    await(made.get(0).callStarted);
    Poll.await(10_000, "the stuck instance reported", () -> Readiness.of(vertx).problems().containsKey("classifier"));
    String problem = Readiness.of(vertx).problems().get("classifier");
    assertTrue(problem.contains("stuck") && problem.contains("classifier.stuckMs = 300"), problem);
    Poll.await(20_000, "a fresh instance answers", () -> Poll.get(classify(List.of("example.org"), 5_000), 10_000)
        .get(0).error() == null);
    Poll.await(10_000, "ready again once the stuck instance is gone",
        () -> !Readiness.of(vertx).problems().containsKey("classifier"));
    assertEquals(2, made.size());
    assertFalse(made.get(0).closed, "the stuck call's session is left open, never closed under it");
  }
}
