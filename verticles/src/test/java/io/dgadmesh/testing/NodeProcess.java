package io.dgadmesh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real clustered node in its own JVM ({@code Main node ...}), or a lone one as bin/dgad up runs it
 * ({@code Main up}), started from the test class path, with its output in target/fault-logs.
 * kill9 / terminate / pause / resume act on the process by pid.
 */
public final class NodeProcess implements AutoCloseable {

  private final String id;
  private final Process process;
  private final Path log;

  private NodeProcess(String id, Process process, Path log) {
    this.id = id;
    this.process = process;
    this.log = log;
  }

  /**
   * @param roles comma list, e.g. "worker,classifier"
   * @param hzPort this node's Hazelcast port
   * @param members every node's "127.0.0.1:port", comma separated
   */
  public static NodeProcess start(String test, String id, String roles, int hzPort, String members, String clusterName,
                                  int redisPort, Map<String, String> env) throws IOException {
    return startOn(List.of(), "127.0.0.1", test, id, roles, hzPort, members, clusterName, redisPort, env, List.of());
  }

  /**
   * A clustered node on address {@code host}, its JVM started through {@code prefix}: e.g.
   * {@code ip netns exec NS} for a node on a host of {@link NamespaceNet} (ip execs the JVM, so
   * the process's pid is the JVM's and the signals reach it). Redis is on 127.0.0.1 unless
   * {@code env} names another REDIS_HOST. {@code nodeArgs} go after the usual ones (e.g. --conf FILE).
   */
  public static NodeProcess startOn(List<String> prefix, String host, String test, String id, String roles, int hzPort,
                                    String members, String clusterName, int redisPort, Map<String, String> env,
                                    List<String> nodeArgs) throws IOException {
    Map<String, String> e = new java.util.HashMap<>();
    e.put("DGAD_CLUSTER_NAME", clusterName);
    e.putAll(env);
    List<String> args = new ArrayList<>(List.of("node", "--roles", roles, "--cluster-host", host, "--cluster-port",
        Integer.toString(hzPort), "--members", members, "--name", id));
    args.addAll(nodeArgs);
    return launch(prefix, test, id, args, redisPort, e, null, List.of());
  }

  /**
   * A lone node as {@code bin/dgad up} runs it (no cluster; roles from DGAD_ROLES in {@code env},
   * else every role), working in {@code workDir}: where the JVM would leave an hs_err_pid*.log.
   * {@code jvmFlags} go after the usual ones.
   */
  public static NodeProcess up(String test, String id, Path workDir, int redisPort, Map<String, String> env,
                               List<String> jvmFlags) throws IOException {
    return launch(List.of(), test, id, List.of("up"), redisPort, env, workDir, jvmFlags);
  }

  private static NodeProcess launch(List<String> prefix, String test, String id, List<String> args, int redisPort,
                                    Map<String, String> env, Path workDir, List<String> jvmFlags) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xss4m"); // ONNX Runtime 1.29 segfaults loading the model with the default 1 MB thread stack
    for (String f : System.getProperty("dgad.hazelcast.jvm.flags", "").split(" ")) {
      if (!f.isBlank()) {
        cmd.add(f);
      }
    }
    cmd.addAll(jvmFlags);
    cmd.add("io.dgadmesh.cli.Main");
    cmd.addAll(args);
    Path dir = Path.of("target", "fault-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve(test + "-" + id + ".log").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Map<String, String> e = pb.environment();
    // The class path goes in CLASSPATH, not -cp: ONNX Runtime 1.29's OrtEnvironment creation uses
    // stack in proportion to the process's command line (about 250 bytes a character; its
    // environment does not count), and the test class path (~15,000 characters) on the command
    // line comes within a few hundred characters of overflowing even a 4 MB stack: the JVM dies
    // of SIGSEGV (exit 139) with no hs_err file.
    e.put("CLASSPATH", absoluteClassPath());
    e.put("REDIS_HOST", "127.0.0.1");
    e.put("REDIS_PORT", Integer.toString(redisPort));
    e.put("DGAD_NODE_ID", id);
    e.put("DGAD_CLASSIFIERS", "1");
    e.put("LOG_LEVEL", "INFO");
    e.remove("DGAD_MEMBERS");
    e.remove("DGAD_ROLES");
    e.putAll(env);
    return new NodeProcess(id, pb.start(), log);
  }

  /** The test class path with every entry absolute, so a child may work in another directory. */
  private static String absoluteClassPath() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        out.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  public String id() {
    return id;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, as {@code kill} or a container stop sends: the node's shutdown hook runs. */
  public void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** The exit code once the process has ended; fails if it runs on past {@code timeoutMs}. */
  public int exitCode(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node " + id + " still runs " + timeoutMs + " ms later:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGHUP, as {@code kill -HUP} sends: the node reloads its model. */
  public void hangUp() throws IOException, InterruptedException {
    signal("HUP");
  }

  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + process.pid() + " failed");
    }
  }

  /** Ends the process at once (SIGCONT first, in case it is paused): tests need no goodbyes. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        resume();
      } catch (IOException e) {
        // already gone
      }
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
