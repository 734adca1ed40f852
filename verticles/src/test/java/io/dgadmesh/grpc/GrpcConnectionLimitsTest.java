package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Poll;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection limits of a gRPC port: past grpc.maxConnections a new connection is closed at
 * once (connections that never speak count too, so idle sockets cannot take the node's file
 * descriptors), and a connection with no traffic for grpc.idleTimeoutSeconds is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcConnectionLimitsTest {

  private GrpcTestNode node;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", node.port), 5_000);
    return s;
  }

  /** Blocks until the server closes the socket (end of stream), at most {@code timeoutMs}. */
  private static void assertClosedByServer(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // an HTTP/2 GOAWAY may come before the close
      }
    } catch (SocketTimeoutException open) {
      throw new AssertionError("still open after " + timeoutMs + " ms");
    } catch (IOException reset) {
      // closed with a reset: closed all the same
    }
  }

  private GrpcStatus call() {
    return GrpcCalls.call(GrpcClient.client(node.vertx), node.port, GrpcVerticleTest.DGAD4,
        List.of(Domain.newBuilder().setFqdn("google.com").build())).otherwise(e -> null)
        .map(c -> c == null ? GrpcStatus.UNAVAILABLE : c.status()).await();
  }

  @Test
  void pastMaxConnectionsANewConnectionIsClosedAtOnce() throws Exception {
    node = GrpcTestNode.start("cap", conf -> conf.getJsonObject("grpc").put("maxConnections", 3)
        .put("idleTimeoutSeconds", 0));
    List<Socket> open = List.of(connect(), connect(), connect()); // three that never speak
    Socket fourth = connect();
    try {
      assertClosedByServer(fourth, 10_000);
    } catch (AssertionError e) { // failed once in a full build, never alone: say what the cap saw
      throw new AssertionError(e.getMessage() + "; " + ConnectionCap.of(node.vertx, node.port, 3), e);
    }
    assertNotEquals(GrpcStatus.OK, call(), "a gRPC client past the cap is refused too");
    for (Socket s : open) { // the three are still open: a read waits instead of ending
      s.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
    }
    open.get(0).close();
    // the freed place goes to the next client (the server may see the close a moment later)
    Poll.await(10_000, "a call answered once a place is free", () -> call() == GrpcStatus.OK);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    node = GrpcTestNode.start("idle", conf -> conf.getJsonObject("grpc").put("idleTimeoutSeconds", 1));
    assertEquals(GrpcStatus.OK, call());
    long t0 = System.nanoTime();
    assertClosedByServer(connect(), 10_000); // never speaks
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(waitedMs >= 900, "closed after " + waitedMs + " ms, before the idle timeout");
  }
}
