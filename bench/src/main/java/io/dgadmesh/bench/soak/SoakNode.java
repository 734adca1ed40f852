package io.dgadmesh.bench.soak;

import io.dgadmesh.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One life of the soak's node: {@code dgad up} in a JVM of its own, as bin/dgad runs it
 * ({@code -Xmx512m -Xss4m}), on this process's class path, with its configuration from a file
 * (none from the environment) and its output in {@code node-<life>.log} of the soak's directory,
 * which is also its working directory: where the JVM would leave a crash report.
 */
final class SoakNode {

  /** How a life ended: its exit code, how long the stop took, and what went wrong (empty: nothing). */
  record Stop(int exitCode, long stopMs, List<String> problems) {
    boolean clean() {
      return problems.isEmpty();
    }
  }

  /** The longest a stop may take: the node's own stop timeout (10 s) and the JVM's exit, with room. */
  static final long STOP_WAIT_MS = 30_000;
  private static final int SIGTERM_EXIT = 143;
  private final int life;
  private final Process process;
  private final Path log;
  private final Path dir;
  private final int webPort;

  private SoakNode(int life, Process process, Path log, Path dir, int webPort) {
    this.life = life;
    this.process = process;
    this.log = log;
    this.dir = dir;
    this.webPort = webPort;
  }

  static SoakNode start(Path dir, Path conf, int life, int webPort) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Xss4m"); // ONNX Runtime 1.29 segfaults loading the model with the default 1 MB thread stack
    cmd.add("-cp");
    cmd.add(absoluteClassPath());
    cmd.add("io.dgadmesh.cli.Main");
    cmd.add("up");
    cmd.add("--conf");
    cmd.add(conf.toString());
    Path log = dir.resolve("node-" + life + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // The file says everything: an environment variable would win over it (REDIS_PORT, DGAD_WEB_TOKEN ...).
    NodeConfig.ENV.keySet().forEach(pb.environment()::remove);
    pb.environment().remove("DGAD_PROGRESS");
    return new SoakNode(life, pb.start(), log, dir, webPort);
  }

  /** This process's class path with every entry absolute: the node works in another directory. */
  private static String absoluteClassPath() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        out.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  int life() {
    return life;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** CPU time the node has used so far, or -1 where the OS does not say (or it has ended). */
  long cpuNanos() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Waits until {@code /health/ready} answers 200; fails with the log's end if the node dies or takes too long. */
  void awaitReady(long timeoutMs) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("node life " + life + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the node", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("node life " + life + " not ready after " + timeoutMs + " ms:\n" + tail());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // poll interval of another process
    }
  }

  /**
   * SIGTERM (Process.destroy on Unix), as {@code kill} or a container stop sends, and waits for the
   * exit. A clean stop exits with 143 within {@link #STOP_WAIT_MS}, leaves no crash report and
   * no fatal error in its output; a node still running then is killed.
   */
  Stop terminate() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    List<String> problems = new ArrayList<>();
    if (!process.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
      problems.add("still running " + STOP_WAIT_MS + " ms after SIGTERM: killed");
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    int code = process.isAlive() ? -1 : process.exitValue();
    if (code != SIGTERM_EXIT) {
      problems.add("exit code " + code + " (a clean stop on SIGTERM is " + SIGTERM_EXIT + ")");
    }
    String out = Files.readString(log);
    String lower = out.toLowerCase(Locale.ROOT);
    if (lower.contains("fatal error") || out.contains("SIGSEGV")) {
      problems.add("a fatal error in its output (" + log + ")");
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().equals("hs_err_pid" + process.pid() + ".log"))
          .forEach(p -> problems.add("crash report " + p));
    }
    return new Stop(code, stopMs, problems);
  }

  /** Ends the process at once, if it still runs (the soak failed). */
  void kill() {
    process.destroyForcibly();
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
