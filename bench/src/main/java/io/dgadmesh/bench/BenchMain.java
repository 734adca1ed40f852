package io.dgadmesh.bench;

import io.dgadmesh.cli.Main;

/** Entry point of {@code bin/dgad bench}: the node's command line, with the bench as its command. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) {
    String[] withCommand = new String[argv.length + 1];
    withCommand[0] = "bench";
    System.arraycopy(argv, 0, withCommand, 1, argv.length);
    Main.run(withCommand, (args, conf) -> new BenchCommand(args, conf).run());
  }
}
