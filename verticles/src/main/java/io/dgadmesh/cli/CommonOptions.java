package io.dgadmesh.cli;

import io.dgadmesh.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes: where the configuration comes from, and the classifier count. */
final class CommonOptions {

  @Option(names = "--conf", paramLabel = "FILE",
      description = "JSON merged over the built-in defaults (bin/dgad passes conf/config.json); environment variables win over both")
  private Path conf;

  /** A string, so a bad value gets the configuration's own message, which names the key. */
  @Option(names = "--classifiers", paramLabel = "N", description = "classifier verticles on this node (node.classifiers)")
  private String classifiers;

  /** The validated configuration: defaults, --conf, the environment, then --classifiers. */
  JsonObject load() {
    JsonObject c = NodeConfig.load(conf, System.getenv());
    if (classifiers != null) {
      try {
        c.getJsonObject("node").put("classifiers", Integer.parseInt(classifiers));
      } catch (NumberFormatException e) {
        throw new NodeConfig.ConfigException("node.classifiers (from --classifiers)",
            "must be an integer, got '" + classifiers + "'");
      }
      NodeConfig.validate(c);
    }
    return c;
  }
}
