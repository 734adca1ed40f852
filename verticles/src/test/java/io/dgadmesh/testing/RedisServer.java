package io.dgadmesh.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free port for one test class. No persistence by default; stop()
 * with {@code save=true} writes a snapshot (SHUTDOWN SAVE) so a restart in the same directory
 * comes back with the same data, like a Redis restart in production.
 */
public final class RedisServer implements AutoCloseable {

  public static final String BINARY = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  /** What runs the server (e.g. {@code ip netns exec NS}); empty: started directly. */
  private final List<String> prefix;
  private final String bindHost;
  /** Where the test reaches a server it cannot reach over TCP (one in another network namespace). */
  private final Path socket;
  private Process process;

  private RedisServer(int port, Path dir, List<String> extraArgs) {
    this(port, dir, extraArgs, List.of(), "127.0.0.1", null);
  }

  private RedisServer(int port, Path dir, List<String> extraArgs, List<String> prefix, String bindHost, Path socket) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
    this.prefix = prefix;
    this.bindHost = bindHost;
    this.socket = socket;
  }

  /** With extra redis-server arguments, e.g. {@code --rename-command X ""} to mimic an older server. */
  public static RedisServer start(String... extraArgs) throws IOException {
    RedisServer s = new RedisServer(freePort(), Files.createTempDirectory("dgad-redis"), List.of(extraArgs));
    s.launch();
    return s;
  }

  /**
   * A server started through {@code prefix} (e.g. {@code ip netns exec NS}, see {@link NamespaceNet})
   * on {@code bindHost:port}, which the test JVM may not reach: it talks to the server through the
   * Unix socket {@link #unixSocket()} instead (a file, so in no network namespace).
   */
  public static RedisServer startIn(List<String> prefix, String bindHost, int port) throws IOException {
    Path dir = Files.createTempDirectory("dgad-redis");
    RedisServer s = new RedisServer(port, dir, List.of(), List.copyOf(prefix), bindHost, dir.resolve("redis.sock"));
    s.launch();
    return s;
  }

  /** The Unix socket of a server from {@link #startIn}; null for one on 127.0.0.1. */
  public Path unixSocket() {
    return socket;
  }

  /** A port for a server the test starts later; see {@link FreePorts} for why not port 0. */
  public static int freePort() throws IOException {
    return FreePorts.next();
  }

  public int port() {
    return port;
  }

  public void launch() throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(BINARY, "--port", Integer.toString(port), "--bind", bindHost,
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    if (socket != null) {
      // Bound to an address of a private namespace, without a password: protected mode would
      // refuse every client that is not on loopback.
      cmd.addAll(List.of("--unixsocket", socket.toString(), "--unixsocketperm", "700", "--protected-mode", "no"));
    }
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"+PONG".equals(command("PING"))) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IOException("redis-server did not come up on " + bindHost + ":" + port + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // poll interval, not a sync
    }
  }

  /** Stops the server; with save, the data survives into the next launch(). */
  public void stop(boolean save) throws InterruptedException {
    if (process == null) {
      return;
    }
    command(save ? "SHUTDOWN SAVE" : "SHUTDOWN NOSAVE");
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** One inline command over a raw socket; the first reply line, or null if unreachable. */
  public String command(String inline) {
    if (socket != null) {
      return commandOverUnixSocket(inline);
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\r') {
        b.append((char) c);
      }
      return b.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** {@link #command} through the Unix socket, with the same 2 s bound on the reply. */
  private String commandOverUnixSocket(String inline) {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
         Selector sel = Selector.open()) {
      ch.write(ByteBuffer.wrap((inline + "\r\n").getBytes(StandardCharsets.UTF_8)));
      ch.configureBlocking(false);
      ch.register(sel, SelectionKey.OP_READ);
      StringBuilder b = new StringBuilder();
      ByteBuffer buf = ByteBuffer.allocate(256);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < deadline) {
        sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        sel.selectedKeys().clear();
        buf.clear();
        int n = ch.read(buf);
        for (int i = 0; i < Math.max(n, 0); i++) {
          char c = (char) buf.get(i);
          if (c == '\r') {
            return b.toString();
          }
          b.append(c);
        }
        if (n < 0) {
          return b.toString();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    stop(false);
    for (File f : dir.toFile().listFiles()) {
      f.delete();
    }
    dir.toFile().delete();
  }
}
