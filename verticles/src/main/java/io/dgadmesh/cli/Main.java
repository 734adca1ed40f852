package io.dgadmesh.cli;

import io.dgadmesh.config.ClusterConf;
import io.dgadmesh.config.GrpcConf;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.config.RedisConf;
import io.dgadmesh.config.RedisEndpoint;
import io.dgadmesh.config.WebConf;
import io.dgadmesh.node.MeshNode;
import io.dgadmesh.node.ReloadSignal;
import io.dgadmesh.node.PrivateRedis;
import io.dgadmesh.tls.DoorTls;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point of bin/dgad: up, node, job, classify, bench; exit code 2 for a usage error, 1 for a failure. */
@Command(name = "dgad", mixinStandardHelpOptions = true, versionProvider = Version.class,
    customSynopsis = "dgad <command> [options]",
    description = "A node of the dgad-mesh DGA detector, and the tools around it.",
    subcommands = {UpCommand.class, NodeCommand.class, JobCli.class, ClassifyCommand.class, HostsCommand.class, IngestCommand.class},
    footer = {"", "Every command takes --conf FILE and --classifiers N; dgad <command> --help lists",
        "its options.",
        "environment: REDIS_HOST REDIS_PORT REDIS_SET REDIS_PASSWORD REDIS_DB",
        "             LISTENING_PORT LOG_LEVEL DGAD_ROLES DGAD_NODE_NAME",
        "             DGAD_CLUSTER_HOST DGAD_CLUSTER_PORT DGAD_MEMBERS",
        "             DGAD_WEB_PORT DGAD_WEB_TOKEN"})
public final class Main implements Runnable {

  @Spec
  private CommandSpec spec;

  private Main() {}

  /** {@code dgad} alone: the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] argv) {
    run(argv, new BenchElsewhere());
  }

  /**
   * Runs the command line to its end: exits with the command's code, except after a node started
   * ({@code up}, {@code node}), which runs until killed. {@code bench} is the bench command; the
   * bench module's entry point passes its own.
   */
  public static void run(String[] argv, Object bench) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    CommandLine cl = commandLine(bench);
    int code = cl.execute(argv);
    if (code != 0 || !nodeStarted(cl.getParseResult())) {
      System.exit(code);
    }
  }

  /** The whole command tree, with {@code bench} as the bench command. */
  public static CommandLine commandLine(Object bench) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand("bench", bench);
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.setExecutionExceptionHandler(Main::failed);
    cl.setParameterExceptionHandler(Main::misused);
    return parser(cl);
  }

  /**
   * Reads arguments as bin/dgad always has, so scripts keep working: an option's value is the next
   * argument even when it starts with a dash ({@code -d -shop.com} is a name to classify, and an
   * invalid one), and a repeated option takes its last value. Every usage starts with "usage: ".
   */
  static CommandLine parser(CommandLine cl) {
    cl.setAllowOptionsAsOptionParameters(true);
    cl.setOverwrittenOptionsAllowed(true);
    headings(cl);
    return cl;
  }

  static CommandLine parser(Object command) {
    return parser(new CommandLine(command));
  }

  private static void headings(CommandLine cl) {
    cl.getCommandSpec().usageMessage().synopsisHeading("usage: ");
    cl.getSubcommands().values().forEach(Main::headings);
  }

  private static boolean nodeStarted(ParseResult parsed) {
    if (parsed == null) {
      return false;
    }
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()
        && parsed.commandSpec().userObject() instanceof ConfiguredCommand c && c.keepsRunning();
  }

  /** An option or argument the command does not take: the message names it. Exit code 2. */
  private static int misused(ParameterException e, String[] argv) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("dgad: " + e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
    UnmatchedArgumentException.printSuggestions(e, err);
    err.flush();
    return 2;
  }

  /** A configuration or argument refused when the command ran: 2; any other failure: 1. */
  private static int failed(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code;
    if (e instanceof NodeConfig.ConfigException) {
      err.println("dgad: invalid configuration: " + e.getMessage());
      code = 2;
    } else if (e instanceof IllegalArgumentException) {
      err.println("dgad: " + e.getMessage());
      code = 2;
    } else {
      err.println("dgad: " + describe(e));
      code = 1;
    }
    err.flush();
    return code;
  }

  /**
   * {@code bench} as the node's jar alone knows it: the bench harness is its own module, which
   * bin/dgad puts on the class path for {@code bin/dgad bench}.
   */
  @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Measures this machine and writes bench/RESULTS.md.",
          "Run it with bin/dgad bench (bin/dgad bench --help lists its options)."})
  static final class BenchElsewhere implements Callable<Integer> {
    @CommandLine.Unmatched
    private List<String> arguments;

    @Override
    public Integer call() {
      System.err.println("dgad: bench lives in the bench module; run it with bin/dgad bench");
      return 2;
    }
  }

  /**
   * A top-level error in words. The message of NoSuchFileException and AccessDeniedException is
   * only the path ("dgad: /missing.txt"), so a file error says what happened to which file; wrapped too.
   */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof UncheckedIOException || t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof FileSystemException f && f.getFile() != null) {
      return NodeConfig.reason(f) + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** A clustered node; restarts itself in-process after being cut off. Runs until killed. */
  static int node(JsonObject conf) throws Exception {
    MeshNode node = new MeshNode(conf);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "dgad-node-stop"));
    ReloadSignal.install(node::vertx); // kill -HUP reloads the model; before the start, so it never stops the node
    node.start();
    NodeSettings s = NodeConfig.settings(conf);
    ClusterConf c = s.cluster();
    System.out.println("dgad node " + s.node().id() + " is up in cluster '" + c.name() + "' (roles " + s.node().roles()
        + ", hazelcast " + (c.host().isEmpty() ? "*" : c.host()) + ":" + c.port()
        + (c.members().isEmpty() ? "" : ", members " + c.members()) + ")");
    if (s.node().runs("web")) {
      System.out.println("  web          " + DoorTls.webScheme(s.tls()) + "://0.0.0.0:" + s.web().port() + "/api/cluster");
    }
    System.out.flush();
    node.done().whenComplete((v, err) -> {
      if (err != null) {
        System.exit(1);
      }
    });
    return 0;
  }

  static void setLogLevel(String level) {
    String l = level.toUpperCase(Locale.ROOT);
    Level jul = switch (l) {
      case "TRACE" -> Level.FINEST;
      case "DEBUG" -> Level.FINE;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR" -> Level.SEVERE;
      case "OFF" -> Level.OFF;
      default -> Level.INFO;
    };
    Logger root = LogManager.getLogManager().getLogger("");
    root.setLevel(jul);
    for (var h : root.getHandlers()) {
      h.setLevel(jul);
    }
  }

  /** One node with every configured role; a private Redis if none answers. Runs until killed. */
  static int up(JsonObject conf) throws Exception {
    NodeSettings s = NodeConfig.settings(conf);
    String redisWhere = null;
    PrivateRedis privateRedis = null;
    if (s.node().runs("worker") || s.node().runs("web")) {
      RedisEndpoint server = s.redis().server();
      String host = server.host();
      int port = server.port();
      if (server.tls()) {
        // rediss:// names a real server, which answers no plaintext PING: a private plaintext
        // one in its place would hide a mistake. The node's readiness says if it is not there.
        redisWhere = server.where();
      } else if (PrivateRedis.answers(host, port)) {
        redisWhere = server.where() + " (existing)";
      } else {
        privateRedis = PrivateRedis.start(false); // stopped by the node's shutdown hook, after the node
        RedisConf.pointAt(conf, "127.0.0.1", privateRedis.port());
        redisWhere = "127.0.0.1:" + privateRedis.port() + " (private redis-server, stopped on exit; nothing answered at "
            + server.where() + ")";
      }
    }
    conf.getJsonObject("cluster").put("enabled", false);
    MeshNode node = new MeshNode(conf);
    // One hook, in order: the node stops (its doors hand back what they hold, its classifiers finish
    // their model calls), then the private Redis goes. Separate hooks would run at the same time.
    PrivateRedis redis = privateRedis;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } finally {
        if (redis != null) {
          redis.close();
        }
      }
    }, "dgad-vertx-stop"));
    ReloadSignal.install(node::vertx); // kill -HUP reloads the model; before the start, so it never stops the node
    node.start();
    banner(conf, redisWhere).forEach(System.out::println);
    System.out.flush();
    return 0;
  }

  /** What {@code up} prints once the node runs: where each door listens. */
  static List<String> banner(JsonObject conf, String redisWhere) {
    NodeSettings s = NodeConfig.settings(conf);
    List<String> lines = new ArrayList<>();
    List<String> roles = s.node().roles();
    RedisConf redis = s.redis();
    GrpcConf g = s.grpc();
    // Only what this node runs: no classifier count without classifiers, no door that is not deployed.
    lines.add("dgad node " + s.node().id() + " is up (" + (roles.contains("classifier")
        ? s.node().classifiers() + " classifiers" : "roles: " + String.join(", ", roles)) + ")");
    if (redisWhere != null && roles.contains("worker")) {
      lines.add("  redis door   " + redisWhere + ", set '" + redis.set() + "'  e.g. redis-cli "
          + (redis.server().tls() ? "--tls " : "") + "-p " + redis.server().port() + " SADD " + redis.set() + " google.com");
    } else if (redisWhere != null) {
      lines.add("  redis        " + redisWhere + "  read by the dashboard (results, queue depth)");
    }
    if (roles.contains("grpc")) {
      String secured = (s.tls().enabled() ? ", TLS only" : "") + (g.token().isEmpty() ? "" : ", token required");
      lines.add("  gRPC         " + g.host() + ":" + g.port()
          + "  dgad 4.x Classifier + dgadmesh.v1.DgaClassifier + health + reflection" + secured);
      if (g.dgad3()) {
        lines.add("  gRPC (3.x)   " + g.host() + ":" + g.dgad3Port() + "  dgad 3.x Classifier + health + reflection" + secured);
      }
    }
    if (roles.contains("web")) {
      WebConf w = s.web();
      String shown = w.host().equals("0.0.0.0") || w.host().equals("::") ? "localhost" : w.host();
      lines.add("  dashboard    " + DoorTls.webScheme(s.tls()) + "://" + shown + ":" + w.port() + "/   HTTP API under /api, "
          + "/health/live, /health/ready, /metrics" + (w.token().isEmpty() ? "" : " (token required)"));
    }
    return lines;
  }
}
