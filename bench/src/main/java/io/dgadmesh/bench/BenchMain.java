package io.dgadmesh.bench;

import io.dgadmesh.bench.hosts.HostTrafficBench;
import io.dgadmesh.cli.Main;

/**
 * Entry point of {@code bin/dgad bench} (and {@code bin/dgad help bench}): the node's command line,
 * with this module's bench as its {@code bench} command. Takes the same arguments as bin/dgad.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) {
    // bin/dgad bench --hosts DATA_DIR [HostTrafficBench's options]: the per-host evaluation on
    // traffic generated from the shared data, with options of its own.
    int at = java.util.Arrays.asList(argv).indexOf("--hosts");
    if (at >= 0 && at + 1 < argv.length) {
      java.util.List<String> rest = new java.util.ArrayList<>(java.util.Arrays.asList(argv));
      rest.remove(at);
      String data = rest.remove(at);
      rest.removeIf(a -> a.equals("bench") || a.startsWith("--conf") || a.endsWith("config.json"));
      rest.add(0, data);
      rest.add(0, "--data");
      HostTrafficBench.main(rest.toArray(String[]::new));
      return;
    }
    Main.run(argv, new BenchCommand());
  }
}
