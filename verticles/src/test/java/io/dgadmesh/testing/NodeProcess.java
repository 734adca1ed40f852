package io.dgadmesh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real clustered node in its own JVM ({@code Main node ...}), started from the test class path,
 * with its output in target/fault-logs. kill9 / pause / resume act on the process by pid.
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xss4m"); // ONNX Runtime 1.29 segfaults loading the model with the default 1 MB thread stack
    for (String f : System.getProperty("dgad.hazelcast.jvm.flags", "").split(" ")) {
      if (!f.isBlank()) {
        cmd.add(f);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.dgadmesh.cli.Main");
    cmd.addAll(List.of("node", "--roles", roles, "--cluster-host", "127.0.0.1", "--cluster-port",
        Integer.toString(hzPort), "--members", members, "--name", id));
    Path dir = Path.of("target", "fault-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve(test + "-" + id + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> e = pb.environment();
    e.put("REDIS_HOST", "127.0.0.1");
    e.put("REDIS_PORT", Integer.toString(redisPort));
    e.put("DGAD_NODE_ID", id);
    e.put("DGAD_CLUSTER_NAME", clusterName);
    e.put("DGAD_CLASSIFIERS", "1");
    e.put("LOG_LEVEL", "INFO");
    e.remove("DGAD_MEMBERS");
    e.remove("DGAD_ROLES");
    e.putAll(env);
    return new NodeProcess(id, pb.start(), log);
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
