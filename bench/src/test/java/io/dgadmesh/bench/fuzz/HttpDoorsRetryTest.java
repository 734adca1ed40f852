package io.dgadmesh.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The harness's GET door against a server that closes connections before answering. The JDK's
 * client already sends such a GET once more by itself; the door sends it once more again (and lists
 * it as sent again), and a server that never answers is a failure.
 */
class HttpDoorsRetryTest {

  private static final String ANSWER = "{\"domain\":\"example.com\",\"label\":\"ok\"}";

  @Test
  void aGetWhoseConnectionClosedBeforeAnyAnswerIsSentOnceMore() throws Exception {
    try (ClosingServer server = new ClosingServer(2)) { // the client's own second try closed too
      DoorTally t = new HttpDoors(server.port()).results(List.of("example.com"));
      assertEquals(1, t.answered(), () -> "judged on the door's second try: " + t.examples());
      assertEquals(1, t.retried());
      assertEquals(0, t.failed(), () -> t.examples().toString());
      assertTrue(t.examples().get(0).startsWith("sent again after java.io."), t.examples().toString());
      assertEquals(3, server.connections());
    }
  }

  @Test
  void aServerThatNeverAnswersIsAFailure() throws Exception {
    try (ClosingServer server = new ClosingServer(Integer.MAX_VALUE)) {
      DoorTally t = new HttpDoors(server.port()).results(List.of("example.com"));
      assertEquals(0, t.answered(), () -> t.examples().toString());
      assertEquals(1, t.retried());
      assertEquals(1, t.failed(), () -> t.examples().toString());
    }
  }

  /** Reads each request's head; closes the first {@code closes} connections without a byte, answers the rest. */
  private static final class ClosingServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;

    ClosingServer(int closes) throws IOException {
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket s = socket.accept()) {
            readHead(s.getInputStream());
            if (connections.incrementAndGet() > closes) {
              byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
              OutputStream out = s.getOutputStream();
              out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                  + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(body);
              out.flush();
            }
          } catch (IOException closed) {
            return;
          }
        }
      }, "closing-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    private static void readHead(InputStream in) throws IOException {
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      for (int b; matched < 4 && (b = in.read()) >= 0; ) {
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(5_000);
    }
  }
}
