package io.dgadmesh.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
  private Process process;

  private RedisServer(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
  }

  /** With extra redis-server arguments, e.g. {@code --rename-command X ""} to mimic an older server. */
  public static RedisServer start(String... extraArgs) throws IOException {
    RedisServer s = new RedisServer(freePort(), Files.createTempDirectory("dgad-redis"), List.of(extraArgs));
    s.launch();
    return s;
  }

  /** A port for a server the test starts later; see {@link FreePorts} for why not port 0. */
  public static int freePort() throws IOException {
    return FreePorts.next();
  }

  public int port() {
    return port;
  }

  public void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    cmd.addAll(extraArgs);
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!"+PONG".equals(command("PING"))) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IOException("redis-server did not come up on port " + port + ": "
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

  @Override
  public void close() throws Exception {
    stop(false);
    for (File f : dir.toFile().listFiles()) {
      f.delete();
    }
    dir.toFile().delete();
  }
}
