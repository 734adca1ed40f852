package io.dgadmesh.cli;

import io.dgadmesh.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that runs once the configuration is loaded and validated: it takes {@code --conf} and
 * {@code --classifiers}, may put its own options over the configuration (validated again), and
 * returns the process's exit code.
 */
public abstract class ConfiguredCommand implements Callable<Integer> {

  @Mixin
  private CommonOptions common;

  @Override
  public final Integer call() throws Exception {
    JsonObject conf = common.load();
    override(conf);
    Main.setLogLevel(NodeConfig.settings(conf).logLevel());
    return run(conf);
  }

  /** This command's options over the configuration; validates it again when it changes it. */
  protected void override(JsonObject conf) {
  }

  protected abstract int run(JsonObject conf) throws Exception;

  /** Whether the process goes on after {@link #run} returns 0: a node, until it is killed. */
  boolean keepsRunning() {
    return false;
  }
}
