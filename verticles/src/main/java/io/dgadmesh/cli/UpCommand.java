package io.dgadmesh.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;

/** {@code dgad up}: one node with every configured role and no peers. */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Runs one node with every configured role, no peers (no Hazelcast).",
        "Uses the Redis at REDIS_HOST:REDIS_PORT, or a private redis-server when none answers there."})
final class UpCommand extends ConfiguredCommand {

  @Override
  protected int run(JsonObject conf) throws Exception {
    return Main.up(conf);
  }

  @Override
  boolean keepsRunning() {
    return true;
  }
}
