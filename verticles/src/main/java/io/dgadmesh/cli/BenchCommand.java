package io.dgadmesh.cli;

import io.vertx.core.json.JsonObject;

/** Placeholder until the bench lands. */
public final class BenchCommand {
  public BenchCommand(Args args, JsonObject conf) {}

  public int run() {
    System.err.println("dgad bench: not implemented yet");
    return 1;
  }
}
