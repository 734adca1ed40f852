package io.dgadmesh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.RedisServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's callers over real TCP: answered and failed calls are counted apart. */
class GrpcLoadTest {

  private Vertx vertx;
  private final List<String> sample = List.of("google.com", "xjw3kq9vz1pl.net", "wikipedia.org");

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The bench's fixed-answer gRPC door on a free port. */
  private int fixedAnswerDoor() throws Exception {
    int port = RedisServer.freePort();
    vertx.deployVerticle(FixedAnswerVerticle::new, new DeploymentOptions().setConfig(new JsonObject().put("port", port)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return port;
  }

  @Test
  void singleNameCallsAgainstTheFixedAnswerDoorAreAllAnswered() throws Exception {
    int port = fixedAnswerDoor();
    GrpcLoad.Outcome o = new GrpcLoad(vertx, SocketAddress.inetSocketAddress(port, "127.0.0.1"), sample)
        .singleNames(8, 2, 0.2, 0.5);
    assertTrue(o.calls() > 0, "calls answered: " + o.calls());
    assertEquals(0, o.failures());
    assertEquals(o.calls(), o.names(), "one name per single-name call");
    assertTrue(o.p50Ms() > 0 && o.p99Ms() >= o.p50Ms(), o.p50Ms() + " / " + o.p99Ms());
  }

  @Test
  void callsThatFailAreNotCountedAsAnswered() throws Exception {
    int port = fixedAnswerDoor();
    // The fixed-answer door has no native batch service: every batch call fails (UNIMPLEMENTED).
    GrpcLoad.Outcome batches = new GrpcLoad(vertx, SocketAddress.inetSocketAddress(port, "127.0.0.1"),
        List.of("a.com", "b.com", "c.com", "d.com")).batches(2, 2, 0.1, 0.3);
    assertEquals(0, batches.calls());
    assertEquals(0, batches.names());
    assertTrue(batches.failures() > 0, "failures: " + batches.failures());
    // Nothing listens on this port.
    GrpcLoad.Outcome refused = new GrpcLoad(vertx, SocketAddress.inetSocketAddress(RedisServer.freePort(), "127.0.0.1"),
        sample).singleNames(2, 1, 0.1, 0.3);
    assertEquals(0, refused.calls());
    assertTrue(refused.failures() > 0, "failures: " + refused.failures());
  }

  @Test
  void h2loadCallsAreReadFromItsOutputAndLog() throws Exception {
    Assumptions.assumeTrue(H2Load.available(), "h2load (nghttp2-client) is not installed");
    int port = fixedAnswerDoor();
    H2Load.Outcome o = H2Load.run("127.0.0.1", port, "google.com", 2, 4, 1);
    assertTrue(o.calls() > 0, "calls: " + o.calls());
    assertEquals(0, o.notAnswered());
    assertTrue(o.callsPerSecond() > 0);
    assertTrue(o.p50Ms() > 0 && o.p99Ms() >= o.p50Ms(), o.p50Ms() + " / " + o.p99Ms());
  }
}
