package io.dgadmesh.bench;

import io.dgadmesh.cli.Main;

/**
 * Entry point of {@code bin/dgad bench} (and {@code bin/dgad help bench}): the node's command line,
 * with this module's bench as its {@code bench} command. Takes the same arguments as bin/dgad.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) {
    Main.run(argv, new BenchCommand());
  }
}
