package io.dgadmesh.node;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Finds a Redis, or runs a private redis-server from PATH for the life of this process. */
public final class PrivateRedis implements AutoCloseable {

  public static final String INSTALL_HINT = "install it (Debian/Ubuntu: sudo apt-get install redis-server;"
      + " macOS: brew install redis) or point REDIS_URL (or REDIS_HOST/REDIS_PORT) at a running Redis";

  private final Process process;
  private final int port;
  private final Path dir;

  private PrivateRedis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public int port() {
    return port;
  }

  /** CPU time redis-server has used so far, or -1 where the OS does not say. */
  public long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  /** True if something speaking RESP answers PING (an auth error still counts: it is Redis). */
  public static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      int c = in.read();
      return c == '+' || c == '-';
    } catch (IOException e) {
      return false;
    }
  }

  /** A TCP port free on this host right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts redis-server on a free local port, stopped by a shutdown hook of its own. */
  public static PrivateRedis start() throws IOException {
    return start(true);
  }

  /**
   * Starts redis-server on a free local port; fails with the install hint if there is none. Without
   * {@code stopOnExit} the caller closes it (a node stops first: its Redis door hands back its names).
   */
  public static PrivateRedis start(boolean stopOnExit) throws IOException {
    int port = freePort();
    Path dir = Files.createTempDirectory("dgad-redis");
    Process p;
    try {
      p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IOException("no Redis is running and there is no redis-server on the PATH: " + INSTALL_HINT);
    }
    PrivateRedis r = new PrivateRedis(p, port, dir);
    if (stopOnExit) {
      Runtime.getRuntime().addShutdownHook(new Thread(r::close, "dgad-redis-stop"));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answers("127.0.0.1", port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        r.close();
        throw new IOException("private redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll interval
    }
    return r;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
