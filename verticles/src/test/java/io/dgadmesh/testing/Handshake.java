package io.dgadmesh.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Times a TCP handshake between two hosts of {@link NamespaceNet}, against a listener of the
 * test's own rather than a node's port: a node may be restarting (its ports closed) just when a
 * fault starts, which says nothing about the path.
 *
 * <p>{@code listen BIND PORT}: accepts and closes connections, prints "ready" once bound, ends when
 * its standard input closes. {@code connect HOST PORT TIMEOUT_MS}: prints how many ms the
 * handshake took and exits 0, or exits 1 with the reason.
 */
public final class Handshake {

  private Handshake() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("listen")) {
      listen(args[1], Integer.parseInt(args[2]));
    } else if (args.length == 4 && args[0].equals("connect")) {
      connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else {
      System.err.println("usage: Handshake listen BIND PORT | connect HOST PORT TIMEOUT_MS");
      System.exit(2);
    }
  }

  private static void listen(String bind, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          // accepted: the handshake is done, nothing more to say
        } catch (IOException closed) {
          return;
        }
      }
    }, "handshake-accept");
    accept.setDaemon(true);
    accept.start();
    System.out.println("ready " + bind + ":" + port);
    System.out.flush();
    while (System.in.read() >= 0) {
      // nothing is sent on stdin: it only tells when the test is gone
    }
    server.close();
  }

  private static void connect(String host, int port, int timeoutMs) {
    try (Socket s = new Socket()) {
      long t0 = System.nanoTime();
      s.connect(new InetSocketAddress(InetAddress.getByName(host), port), timeoutMs);
      System.out.println((System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      System.out.println("no handshake with " + host + ":" + port + ": " + e);
      System.exit(1);
    }
  }
}
